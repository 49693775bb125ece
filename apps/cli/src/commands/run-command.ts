import type { Command } from 'commander';
import { examples, type LazyAction } from '../program/command-context.js';
import { collect, nonEmpty, positiveInteger } from '../program/parsers.js';

/** `switchboard run "prompt"`: one-shot runs and answers to paused ones. */
export function addRunCommand(program: Command, lazy: LazyAction): void {
  program
    .command('run')
    .description(
      'Run the agent once on a prompt and print its answer (exit 0 done, 1 failed, 2 usage, 3 awaiting approval, 130 cancelled).',
    )
    .argument('[prompt]', 'the message; "-" reads it from stdin')
    .option(
      '-m, --model <provider:model>',
      'model (default: SWITCHBOARD_MODEL, the config file)',
      nonEmpty,
    )
    .option(
      '--base-url <url>',
      'base URL of openai-compatible: models (default: SWITCHBOARD_BASE_URL)',
    )
    .option('-s, --session <id>', 'continue this session (created when new)', nonEmpty)
    .option('--json', 'print the event envelopes as NDJSON on stdout, nothing else')
    .option('--max-turns <n>', 'model calls allowed in the run', positiveInteger)
    .option(
      '--approve <policy|requestId>',
      'tool approvals: always, never or ask (default: ask, i.e. stop with exit 3); or answer a request of --session (repeatable)',
      collect,
    )
    .option('--deny <requestId>', 'deny a request of --session (repeatable)', collect)
    .option('--reason <text>', 'reason sent with --approve <requestId> / --deny')
    .option('--no-tools', 'run without the built-in tools (list_files, read_file, run_command)')
    .addHelpText(
      'after',
      examples(
        'switchboard run "Summarise README.md"',
        'echo "What is 2 + 2?" | switchboard run - --json',
        'switchboard run "List the files here" --approve always --max-turns 5',
        'switchboard run --session ses_123 --approve apr_456',
        'switchboard run --session ses_123 --deny apr_456 --reason "not on main"',
      ),
    )
    .action(lazy(async () => (await import('./run/run-action.js')).runAction));
}
