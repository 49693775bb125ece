import { Option, type Command } from 'commander';
import { examples, type LazyAction } from '../program/command-context.js';
import { nonEmpty, nonNegativeInteger } from '../program/parsers.js';

/** `switchboard events cat|tail|stats|convert|validate <file.jsonl…>`: JSONL event logs. */
export function addEventsCommand(program: Command, lazy: LazyAction): void {
  const events = program
    .command('events')
    .description(
      'Read, follow, summarise, convert and check JSONL event logs (rotated sets included).',
    )
    .addHelpText(
      'after',
      examples(
        'switchboard events validate events.jsonl',
        'switchboard events tail -f events.jsonl',
      ),
    );
  const load = async () => import('./events/events-actions.js');
  const filters = (command: Command) =>
    command
      .option('-s, --session <id>', 'only this session’s events', nonEmpty)
      .option(
        '-t, --type <type>',
        'only events of this type or prefix (`tool_call.`); repeatable',
        (value: string, previous?: string[]) => [...(previous ?? []), value],
      )
      .option('--pretty', 'one readable line per event instead of JSON');
  filters(
    events
      .command('cat')
      .description(
        'Print the events of JSONL logs in order (each log with its rotated files), as JSON lines.',
      )
      .argument('<files...>', 'JSONL event logs'),
  )
    .addHelpText(
      'after',
      examples(
        'switchboard events cat events.jsonl --type tool_call. --pretty',
        'switchboard events cat a.jsonl b.jsonl > all.jsonl',
      ),
    )
    .action(lazy(async () => (await load()).catEvents));
  filters(
    events
      .command('tail')
      .description(
        'Print the last events of JSONL logs; with -f, keep printing new ones (across rotation).',
      )
      .argument('<files...>', 'JSONL event logs'),
  )
    .option('-n, --lines <n>', 'how many events', nonNegativeInteger, 10)
    .option('-f, --follow', 'keep following the logs as they grow (Ctrl-C to stop)')
    .addHelpText(
      'after',
      examples(
        'switchboard events tail -n 20 events.jsonl',
        'switchboard events tail -f events.jsonl --pretty',
      ),
    )
    .action(lazy(async () => (await load()).tailEvents));
  events
    .command('stats')
    .description('Per session: runs, turns, tool calls, tokens, cost, latency percentiles, errors.')
    .argument('<files...>', 'JSONL event logs')
    .option('-s, --session <id>', 'only this session', nonEmpty)
    .option('--json', 'print one JSON summary per session')
    .addHelpText(
      'after',
      examples(
        'switchboard events stats events.jsonl',
        'switchboard events stats events.jsonl --json',
      ),
    )
    .action(lazy(async () => (await load()).eventStats));
  events
    .command('convert')
    .description('Convert event logs to another protocol (JSON lines) or a Markdown transcript.')
    .argument('<files...>', 'JSONL event logs')
    .addOption(
      new Option('--to <format>', 'target format')
        .choices(['ag-ui', 'ai-sdk', 'acp', 'markdown'])
        .makeOptionMandatory(),
    )
    .option('-s, --session <id>', 'only this session', nonEmpty)
    .addHelpText(
      'after',
      examples(
        'switchboard events convert events.jsonl --to ag-ui > ag-ui.jsonl',
        'switchboard events convert events.jsonl --to markdown',
      ),
    )
    .action(lazy(async () => (await load()).convertEvents));
  events
    .command('validate')
    .description(
      'Check every line of JSONL logs against the contract; report each bad line with its code (exit 1 if any).',
    )
    .argument('<files...>', 'JSONL event logs')
    .addHelpText('after', examples('switchboard events validate events.jsonl'))
    .action(lazy(async () => (await load()).validateEvents));
}
