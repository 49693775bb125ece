import { createReadStream } from 'node:fs';
import { EventsError } from '../../errors/events-error.js';

/** Default longest JSONL line a reader or sink accepts: far above `maxEventBytes`, far below RAM. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** One line of a JSONL file. */
export interface JsonlLine {
  /** The line without its newline (and without a UTF-8 BOM on the first line). */
  text: string;
  /** 1-based line number. */
  number: number;
  /**
   * Whether a newline ends it. A line without one is the torn tail of a write
   * that never finished: readers and `JsonlSink.open` both treat it as no event,
   * even when it happens to be complete JSON.
   */
  terminated: boolean;
}

const NEWLINE = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Streams a file's lines. Works on bytes and decodes each line once, so a
 * long line costs time and memory linear in its size (a string that grows by
 * concatenation is re-flattened on every search and goes quadratic). A line
 * longer than `maxLineBytes` fails with `EVENTS_JSONL_LINE_TOO_LONG` as soon as
 * the limit is passed, before the rest of it is read.
 */
export async function* readJsonlLines(
  file: string,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<JsonlLine> {
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let number = 0;
  let first = true;
  for await (const chunk of createReadStream(file, {
    highWaterMark: 256 * 1024,
  }) as AsyncIterable<Buffer>) {
    let start = first && chunk.subarray(0, 3).equals(BOM) ? 3 : 0;
    first = false;
    for (let end = chunk.indexOf(NEWLINE, start); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      number += 1;
      if (pieceBytes + end - start > maxLineBytes)
        throw lineTooLong({
          file,
          line: number,
          bytes: pieceBytes + end - start,
          limit: maxLineBytes,
        });
      const text =
        pieces.length === 0
          ? chunk.toString('utf8', start, end)
          : Buffer.concat([...pieces, chunk.subarray(start, end)]).toString('utf8');
      pieces = [];
      pieceBytes = 0;
      start = end + 1;
      yield { text, number, terminated: true };
    }
    if (start < chunk.length) {
      pieceBytes += chunk.length - start;
      if (pieceBytes > maxLineBytes)
        throw lineTooLong({ file, line: number + 1, bytes: pieceBytes, limit: maxLineBytes });
      pieces.push(chunk.subarray(start));
    }
  }
  if (pieceBytes > 0)
    yield { text: Buffer.concat(pieces).toString('utf8'), number: number + 1, terminated: false };
}

/** The first complete line of a file, or undefined when it has none. */
export async function readFirstLine(
  file: string,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): Promise<string | undefined> {
  for await (const line of readJsonlLines(file, maxLineBytes))
    return line.terminated ? line.text : undefined;
  return undefined;
}

/** `EVENTS_JSONL_LINE_TOO_LONG` for a line of at least `bytes` bytes. */
export function lineTooLong(at: {
  file: string;
  /** Absent for a last line found by reading backwards. */
  line?: number;
  bytes: number;
  limit: number;
}): EventsError {
  const { file, line, bytes, limit } = at;
  return new EventsError({
    code: 'EVENTS_JSONL_LINE_TOO_LONG',
    message: `${file}${line === undefined ? ' (last line)' : `:${line}`} is longer than maxLineBytes (${limit} bytes; at least ${bytes} read). Raise maxLineBytes if such events are expected, or remove the line.`,
    details: { file, ...(line === undefined ? {} : { line }), bytes, limit },
  });
}
