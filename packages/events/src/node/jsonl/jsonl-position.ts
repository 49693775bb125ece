import { EventsError } from '../../errors/events-error.js';

/** Where one line stands in its session's sequence. */
export interface JsonlPosition {
  sessionId: string;
  seq: number;
  ts: number;
}

/**
 * Why a parsed record cannot be a line of a JSONL series, or undefined when it
 * can: it needs a string `sessionId` and a `seq` that is a positive integer,
 * since `seq` is the line's identity (cursors, resume, reopen all use it).
 */
export function positionProblem(record: unknown): string | undefined {
  if (typeof record !== 'object' || record == null || Array.isArray(record))
    return 'is not a JSON object';
  const { seq, sessionId } = record as { seq?: unknown; sessionId?: unknown };
  if (typeof sessionId !== 'string') return 'has no string sessionId';
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1)
    return `has seq ${JSON.stringify(seq) ?? 'missing'}, not a positive integer`;
  return undefined;
}

/**
 * Reads the position of a series' last line, for `JsonlSink.open`. Anything
 * that is not an event with a usable `seq` is refused with
 * `EVENTS_JSONL_CORRUPT`: guessing a head (0, or an earlier line's) would let
 * the next writer reuse numbers.
 */
export function parseLastPosition(text: string, file: string): JsonlPosition {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    throw corruptLastLine(file, `is not valid JSON (${(error as Error).message})`);
  }
  const problem = positionProblem(record);
  if (problem) throw corruptLastLine(file, problem);
  const { seq, sessionId, ts } = record as { seq: number; sessionId: string; ts?: unknown };
  return { sessionId, seq, ts: typeof ts === 'number' && Number.isFinite(ts) ? ts : 0 };
}

function corruptLastLine(file: string, problem: string): EventsError {
  return new EventsError({
    code: 'EVENTS_JSONL_CORRUPT',
    message: `The last line of ${file} ${problem}, so the sink cannot tell which seq comes next. Fix or remove that line (readJsonlEvents names any other bad line), then open again.`,
    details: { file, reason: problem },
  });
}
