import { createReadStream } from 'node:fs';
import { EventsError } from '../../errors/events-error.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import { safeParseEvent } from '../../schema/parse-event.js';
import { EventUpgrader } from '../../schema/upgrade-event.js';
import { listJsonlFiles, readTail } from './jsonl-files.js';

/** Options of {@link readJsonlEvents}. */
export interface ReadJsonlOptions {
  /** Skip events with `seq` ≤ this; whole files before it are skipped without being read. */
  afterSeq?: number;
  /** Validate every event against the contract (throws `EVENTS_INVALID_EVENT`). @default false */
  validate?: boolean;
  /** Called when the last line of the last file is torn (a crash mid-write); the line is skipped. */
  onTornLine?: (info: { file: string; line: number; bytes: number }) => void;
}

/**
 * Reads a (possibly rotated) JSONL event series in order: the base file,
 * then `-000001`, `-000002`, … Lines are streamed, never loaded whole. Records
 * of older producers are upgraded to contract v1 on the way (EventUpgrader);
 * unknown types and fields pass through untouched.
 *
 * A torn last line of the last file (a crash mid-write) is skipped; any other
 * unreadable line throws `EVENTS_JSONL_CORRUPT` naming the file and line.
 */
export async function* readJsonlEvents(
  basePath: string,
  options: ReadJsonlOptions = {},
): AsyncGenerator<AnyEvent> {
  const afterSeq = options.afterSeq ?? 0;
  const files = await listJsonlFiles(basePath);
  const upgrader = new EventUpgrader();
  for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
    const file = files[fileIndex]!;
    const isLastFile = fileIndex === files.length - 1;
    if (afterSeq > 0 && !isLastFile && (await lastSeqOf(file)) <= afterSeq) continue;
    let lineNumber = 0;
    for await (const { line, terminated } of readLines(file)) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (error) {
        if (!terminated && isLastFile) {
          options.onTornLine?.({ file, line: lineNumber, bytes: Buffer.byteLength(line) });
          return;
        }
        throw new EventsError({
          code: 'EVENTS_JSONL_CORRUPT',
          message: `${file}:${lineNumber} is not valid JSON: ${(error as Error).message}`,
          details: { file, line: lineNumber },
        });
      }
      let events: AnyEvent[];
      try {
        events = upgrader.upgrade(raw);
      } catch (error) {
        throw new EventsError({
          code: 'EVENTS_JSONL_CORRUPT',
          message: `${file}:${lineNumber} is not an event: ${(error as Error).message}`,
          details: { file, line: lineNumber },
          cause: error,
        });
      }
      for (const event of events) {
        if (typeof event.seq !== 'number' || event.seq <= afterSeq) continue;
        if (options.validate) {
          const result = safeParseEvent(event);
          if (!result.success) {
            throw new EventsError({
              code: 'EVENTS_INVALID_EVENT',
              message: `${file}:${lineNumber}: ${result.error.message}`,
              details: { file, line: lineNumber, ...result.error.details },
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

async function lastSeqOf(file: string): Promise<number> {
  const { lastLine } = await readTail(file);
  if (lastLine === undefined) return 0;
  try {
    const seq = (JSON.parse(lastLine) as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY; // unreadable: do not skip, let the reader report it
  }
}

/** Streams a file's lines, telling whether each ended with a newline. */
async function* readLines(file: string): AsyncGenerator<{ line: string; terminated: boolean }> {
  let rest = '';
  for await (const chunk of createReadStream(file, {
    encoding: 'utf8',
    highWaterMark: 256 * 1024,
  })) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', start)) {
      yield { line: text.slice(start, index), terminated: true };
      start = index + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) yield { line: rest, terminated: false };
}
