import { stat } from 'node:fs/promises';
import { EventsError } from '../../errors/events-error.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import { safeParseEvent } from '../../schema/parse-event.js';
import { EventUpgrader } from '../../schema/upgrade-event.js';
import { listJsonlFiles } from './jsonl-files.js';
import { DEFAULT_MAX_LINE_BYTES, readFirstLine, readJsonlLines } from './jsonl-lines.js';
import { positionProblem } from './jsonl-position.js';

/** Spaces, tabs and carriage returns only: a blank line, skipped (as `JsonlSink.open` does). */
const BLANK = /^[ \t\r]*$/;

/** Options of {@link readJsonlEvents}. */
export interface ReadJsonlOptions {
  /**
   * Only this session's events. With it, whole files that hold nothing of the
   * session after `afterSeq` are skipped without being read.
   */
  sessionId?: string;
  /**
   * Skip events with `seq` ≤ this. `seq` counts per session, so on a series
   * shared by several sessions the cursor applies to each event's own session;
   * pass `sessionId` to resume one session.
   */
  afterSeq?: number;
  /** Validate every event against the contract (throws `EVENTS_INVALID_EVENT`). @default false */
  validate?: boolean;
  /** Longest line accepted; a longer one throws `EVENTS_JSONL_LINE_TOO_LONG`. @default 64 MiB */
  maxLineBytes?: number;
  /** Called when the last line of the last file is torn (no newline: a crash mid-write); it is skipped. */
  onTornLine?: (info: { file: string; line: number; bytes: number }) => void;
}

/**
 * Reads a (possibly rotated) JSONL event series in order: the base file,
 * then `-000001`, `-000002`, … Lines are streamed, never loaded whole, in time
 * linear in their size. Records of older producers are upgraded to contract
 * v1 on the way (EventUpgrader); unknown types and fields pass through.
 *
 * A line is an event only once its newline is written: an unterminated last
 * line of the series (of its last non-empty file) is a torn write and is skipped (`onTornLine`), even if
 * it parses, which is the same rule `JsonlSink.open` uses to cut it. A UTF-8
 * BOM at the start of a file is ignored. Any other bad line throws
 * `EVENTS_JSONL_CORRUPT` naming the file and line: one that is not JSON, not
 * an event, has no string `sessionId`, a `seq` that is not a positive integer,
 * or a `seq` not above the previous one of its session (gaps are allowed: a
 * sink may have skipped events it refused or the bus dropped).
 */
export async function* readJsonlEvents(
  basePath: string,
  options: ReadJsonlOptions = {},
): AsyncGenerator<AnyEvent> {
  const afterSeq = options.afterSeq ?? 0;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const files = await listJsonlFiles(basePath);
  const upgrader = new EventUpgrader();
  const lastSeqs = new Map<string, number>();
  for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
    const file = files[fileIndex]!;
    const next = files[fileIndex + 1];
    if (
      options.sessionId !== undefined &&
      afterSeq > 0 &&
      next !== undefined &&
      (await startsAtOrBefore(
        next,
        { sessionId: options.sessionId, seq: afterSeq + 1 },
        maxLineBytes,
      ))
    )
      continue;
    for await (const { text, number, terminated } of readJsonlLines(file, maxLineBytes)) {
      if (!terminated) {
        if (await allEmpty(files.slice(fileIndex + 1))) {
          options.onTornLine?.({ file, line: number, bytes: Buffer.byteLength(text) });
          return;
        }
        throw corrupt(
          { file, line: number },
          'has no newline, but a file followed by written files cannot end mid-line',
        );
      }
      if (BLANK.test(text)) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        throw corrupt({ file, line: number }, `is not valid JSON: ${(error as Error).message}`);
      }
      let events: AnyEvent[];
      try {
        events = upgrader.upgrade(raw);
      } catch (error) {
        throw corrupt({ file, line: number }, `is not an event: ${(error as Error).message}`, {
          cause: error,
        });
      }
      for (const event of events) {
        const problem = positionProblem(event);
        if (problem) throw corrupt({ file, line: number }, problem);
        const previousSeq = lastSeqs.get(event.sessionId);
        if (previousSeq !== undefined && event.seq <= previousSeq) {
          throw corrupt(
            { file, line: number },
            `has seq ${event.seq} of session ${event.sessionId} after seq ${previousSeq}: a duplicate or out of order`,
            { details: { sessionId: event.sessionId, seq: event.seq, previousSeq } },
          );
        }
        lastSeqs.set(event.sessionId, event.seq);
        if (event.seq <= afterSeq) continue;
        if (options.sessionId !== undefined && event.sessionId !== options.sessionId) continue;
        if (options.validate) {
          const result = safeParseEvent(event);
          if (!result.success) {
            throw new EventsError({
              code: 'EVENTS_INVALID_EVENT',
              message: `${file}:${number}: ${result.error.message}`,
              details: { file, line: number, ...result.error.details },
            });
          }
        }
        yield event;
      }
    }
  }
}

/** Reads every event of a series into an array (convenience for small logs and tests). */
export async function readJsonlEventArray(
  basePath: string,
  options?: ReadJsonlOptions,
): Promise<AnyEvent[]> {
  const events: AnyEvent[] = [];
  for await (const event of readJsonlEvents(basePath, options)) events.push(event);
  return events;
}

/** Whether every file is empty: a torn line before them is still the series' last line. */
async function allEmpty(files: readonly string[]): Promise<boolean> {
  for (const file of files) if ((await stat(file)).size > 0) return false;
  return true;
}

/**
 * Whether `file` starts with an event of `sessionId` whose seq is ≤ `seq`.
 * Seqs only grow within a session, so every event of that session in the
 * files before it is then < `seq`: those files can be skipped. Unreadable
 * first lines answer false, so the reader reaches them and reports them.
 */
async function startsAtOrBefore(
  file: string,
  { sessionId, seq }: { sessionId: string; seq: number },
  maxLineBytes: number,
): Promise<boolean> {
  try {
    const first = await readFirstLine(file, maxLineBytes);
    if (first === undefined) return false;
    const record = JSON.parse(first) as { sessionId?: unknown; seq?: unknown };
    return (
      positionProblem(record) === undefined &&
      record.sessionId === sessionId &&
      (record.seq as number) <= seq
    );
  } catch {
    return false;
  }
}

function corrupt(
  { file, line }: { file: string; line: number },
  problem: string,
  extra: { cause?: unknown; details?: Record<string, unknown> } = {},
): EventsError {
  const { cause, details = {} } = extra;
  return new EventsError({
    code: 'EVENTS_JSONL_CORRUPT',
    message: `${file}:${line} ${problem}.`,
    details: { file, line, ...details },
    cause,
  });
}
