import type { Command } from 'commander';
import { EventUpgrader, summarize, toMarkdown, type AnyEvent } from '@switchboard/events';
import type { CommandContext } from '../../program/command-context.js';
import { EXIT } from '../../program/exit-codes.js';
import { convertSession, type ConvertFormat } from './convert-session.js';
import { matches, prettyEvent } from './event-line.js';
import { followSeries, seriesEnd } from './follow-series.js';
import { checkSeries, readBySession, readSeries } from './read-series.js';
import { formatSummary } from './format-summary.js';
import { validateSeries } from './validate-series.js';

interface FilterOptions {
  session?: string;
  type?: string[];
  pretty?: boolean;
}

function printer(context: CommandContext, options: FilterOptions): (event: AnyEvent) => void {
  const { output } = context;
  return (event) => {
    if (!matches(event, options)) return;
    output.line(options.pretty ? prettyEvent(event, output.style) : JSON.stringify(event));
  };
}

/** `events cat <files…>`. */
export async function catEvents(context: CommandContext, command: Command): Promise<number> {
  const [files] = command.processedArgs as [string[]];
  const print = printer(context, command.opts<FilterOptions>());
  for await (const event of readSeries(files, context.output)) print(event);
  return EXIT.OK;
}

/** `events tail [-n N] [-f] <files…>`: the last N (matching) events, then new ones with -f. */
export async function tailEvents(context: CommandContext, command: Command): Promise<number> {
  const [files] = command.processedArgs as [string[]];
  const options = command.opts<FilterOptions & { lines: number; follow?: boolean }>();
  const print = printer(context, options);
  // Where each log ends now, taken before reading, so -f misses nothing written meanwhile.
  await checkSeries(files);
  const ends = options.follow ? await Promise.all(files.map((file) => seriesEnd(file))) : [];
  for (const file of files) {
    const last: AnyEvent[] = [];
    for await (const event of readSeries([file], context.output)) {
      if (!matches(event, options)) continue;
      last.push(event);
      if (last.length > options.lines) last.shift();
    }
    last.forEach(print);
  }
  if (!options.follow) return EXIT.OK;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await Promise.all(
      files.map(async (file, index) => {
        const upgrader = new EventUpgrader();
        const from = ends[index];
        for await (const line of followSeries(file, {
          signal: controller.signal,
          ...(from ? { from } : {}),
        })) {
          try {
            for (const event of upgrader.upgrade(JSON.parse(line))) print(event);
          } catch (error) {
            context.output.warn(
              `${file}: skipped a line that is not an event (${(error as Error).message})`,
            );
          }
        }
      }),
    );
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return EXIT.OK;
}

/** `events stats <files…>`: `summarize` per session. */
export async function eventStats(context: CommandContext, command: Command): Promise<number> {
  const [files] = command.processedArgs as [string[]];
  const options = command.opts<{ session?: string; json?: boolean }>();
  const sessions = await readBySession(files, context.output, options.session);
  const { output } = context;
  if (sessions.size === 0) output.info('No events.');
  let first = true;
  for (const events of sessions.values()) {
    const summary = summarize(events);
    if (options.json) output.line(JSON.stringify(summary));
    else {
      if (!first) output.line();
      output.result(formatSummary(summary, output.style));
    }
    first = false;
  }
  return EXIT.OK;
}

/** `events convert --to ag-ui|ai-sdk|acp|markdown <files…>`. */
export async function convertEvents(context: CommandContext, command: Command): Promise<number> {
  const [files] = command.processedArgs as [string[]];
  const options = command.opts<{ to: ConvertFormat | 'markdown'; session?: string }>();
  const sessions = await readBySession(files, context.output, options.session);
  const { output } = context;
  let first = true;
  for (const [sessionId, events] of sessions) {
    if (options.to === 'markdown') {
      if (sessions.size > 1)
        output.result(`${first ? '' : '\n---\n\n'}<!-- session ${sessionId} -->\n\n`);
      output.result(toMarkdown(events));
    } else {
      for (const message of await convertSession(events, options.to))
        output.line(JSON.stringify(message));
    }
    first = false;
  }
  return EXIT.OK;
}

/** `events validate <files…>`: every bad line with its code; exit 1 when there is one. */
export async function validateEvents(context: CommandContext, command: Command): Promise<number> {
  const [files] = command.processedArgs as [string[]];
  const { output } = context;
  let bad = 0;
  for (const file of files) {
    const report = await validateSeries(file);
    if (report.files.length === 0) {
      output.line(`${file}: CLI_FILE_UNREADABLE: no such event log (nor rotated files of it)`);
      bad += 1;
      continue;
    }
    for (const problem of report.problems) {
      output.line(`${problem.file}:${problem.line}: ${problem.code}: ${problem.message}`);
    }
    bad += report.problems.length;
    if (report.torn) {
      output.info(
        `note: ${report.torn.file}:${report.torn.line} is a torn last line (a write cut short); readers skip it.`,
      );
    }
    const verdict =
      report.problems.length === 0
        ? output.style.green('ok')
        : output.style.red(`${report.problems.length} bad line(s)`);
    output.info(`${file}: ${report.events} events in ${report.files.length} file(s), ${verdict}`);
  }
  return bad === 0 ? EXIT.OK : EXIT.FAILED;
}
