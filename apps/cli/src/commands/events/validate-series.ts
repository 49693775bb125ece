import { createReadStream } from 'node:fs';
import { EventUpgrader, safeParseEvent, type AnyEvent } from '@switchboard/events';
import { listJsonlFiles } from '@switchboard/events/node';

/** One bad line: where, the stable code, what is wrong. */
export interface LineProblem {
  file: string;
  line: number;
  code: string;
  message: string;
}

/** What {@link validateSeries} found in one log. */
export interface SeriesReport {
  files: string[];
  events: number;
  problems: LineProblem[];
  /** A torn last line: a crash mid-write, which readers skip (not a problem). */
  torn?: { file: string; line: number };
}

/** A file's lines (without the newline), numbered from 1, with whether a newline ended each. */
async function* lines(
  file: string,
): AsyncGenerator<{ text: string; number: number; terminated: boolean }> {
  let rest: Buffer = Buffer.alloc(0);
  let number = 0;
  let first = true;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    if (first && data.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])))
      data = data.subarray(3);
    first = false;
    let start = 0;
    for (let end = data.indexOf(0x0a); end >= 0; end = data.indexOf(0x0a, start)) {
      yield { text: data.toString('utf8', start, end), number: ++number, terminated: true };
      start = end + 1;
    }
    rest = data.subarray(start);
  }
  if (rest.length > 0) yield { text: rest.toString('utf8'), number: number + 1, terminated: false };
}

/**
 * Checks every line of a log and its rotated files, going on after each bad
 * one (unlike a reader, which stops at the first): JSON
 * (`EVENTS_JSONL_CORRUPT`), an event with a string `sessionId` and a
 * positive integer `seq` above the previous one of its session
 * (`EVENTS_JSONL_CORRUPT`), and the contract (`EVENTS_INVALID_EVENT`,
 * `EVENTS_UNSUPPORTED_VERSION`). Records of older producers are upgraded
 * first, as readers do.
 */
export async function validateSeries(basePath: string): Promise<SeriesReport> {
  const files = await listJsonlFiles(basePath);
  const report: SeriesReport = { files, events: 0, problems: [] };
  const upgrader = new EventUpgrader();
  const lastSeq = new Map<string, number>();
  for (const [index, file] of files.entries()) {
    const problem = (line: number, code: string, message: string) =>
      report.problems.push({ file, line, code, message });
    for await (const { text, number, terminated } of lines(file)) {
      if (/^[ \t\r]*$/.test(text)) continue;
      if (!terminated && index === files.length - 1) {
        report.torn = { file, line: number };
        continue;
      }
      if (!terminated)
        problem(
          number,
          'EVENTS_JSONL_CORRUPT',
          'has no newline, but later files of the log were written',
        );
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        problem(number, 'EVENTS_JSONL_CORRUPT', `is not valid JSON: ${(error as Error).message}`);
        continue;
      }
      let events: AnyEvent[];
      try {
        events = upgrader.upgrade(raw);
      } catch (error) {
        // A record of a newer contract keeps its own code (EVENTS_UNSUPPORTED_VERSION).
        const code = (error as { code?: unknown }).code;
        if (code === 'EVENTS_UNSUPPORTED_VERSION') problem(number, code, (error as Error).message);
        else
          problem(number, 'EVENTS_JSONL_CORRUPT', `is not an event: ${(error as Error).message}`);
        continue;
      }
      for (const event of events) {
        report.events += 1;
        const { sessionId, seq } = event as { sessionId?: unknown; seq?: unknown };
        if (typeof sessionId !== 'string') {
          problem(number, 'EVENTS_JSONL_CORRUPT', 'has no string sessionId');
          continue;
        }
        if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
          problem(
            number,
            'EVENTS_JSONL_CORRUPT',
            `has seq ${JSON.stringify(seq) ?? 'missing'}, not a positive integer`,
          );
          continue;
        }
        const previous = lastSeq.get(sessionId);
        if (previous !== undefined && seq <= previous) {
          problem(
            number,
            'EVENTS_JSONL_CORRUPT',
            `has seq ${seq} of session ${sessionId} after seq ${previous}: a duplicate or out of order`,
          );
        } else lastSeq.set(sessionId, seq);
        const parsed = safeParseEvent(event);
        if (!parsed.success) problem(number, parsed.error.code, parsed.error.message);
      }
    }
  }
  return report;
}
