import type { AnyEvent } from '@switchboard/events';
import { listJsonlFiles, readJsonlEvents } from '@switchboard/events/node';
import { CliError } from '../../errors/cli-error.js';
import type { Output } from '../../output/output.js';

/** Fails with CLI_FILE_UNREADABLE unless every log (or a rotated file of it) exists. */
export async function checkSeries(files: readonly string[]): Promise<void> {
  for (const file of files) {
    if ((await listJsonlFiles(file)).length === 0) {
      throw new CliError({
        code: 'CLI_FILE_UNREADABLE',
        message: `No event log ${file} (nor rotated files of it).`,
        hint: 'Give the path of a JSONL event log, e.g. <SWITCHBOARD_HOME>/events/events.jsonl.',
      });
    }
  }
}

/**
 * The events of each log in turn, each with its rotated files, upgraded to
 * the current contract. A torn last line (a crash mid-write) is skipped with
 * a note; any other bad line stops with `EVENTS_JSONL_CORRUPT` naming it
 * (`events validate` lists them all).
 */
export async function* readSeries(
  files: readonly string[],
  output: Output,
): AsyncGenerator<AnyEvent> {
  await checkSeries(files);
  for (const file of files) {
    yield* readJsonlEvents(file, {
      onTornLine: ({ file: torn, line }) =>
        output.info(`note: ${torn}:${line} is a torn last line (a write cut short); skipped.`),
    });
  }
}

/** Events grouped by session, sessions in order of first appearance. */
export async function readBySession(
  files: readonly string[],
  output: Output,
  sessionId?: string,
): Promise<Map<string, AnyEvent[]>> {
  const sessions = new Map<string, AnyEvent[]>();
  for await (const event of readSeries(files, output)) {
    if (sessionId !== undefined && event.sessionId !== sessionId) continue;
    let list = sessions.get(event.sessionId);
    if (!list) sessions.set(event.sessionId, (list = []));
    list.push(event);
  }
  return sessions;
}
