import { Option, type Command } from 'commander';
import { examples, type LazyAction } from '../program/command-context.js';
import { collect, ratio } from '../program/parsers.js';

/** `switchboard trace push <events.jsonl…>`. */
export function addTraceCommand(program: Command, lazy: LazyAction): void {
  const trace = program
    .command('trace')
    .description('Langfuse traces from event logs.')
    .addHelpText('after', examples('switchboard trace push events.jsonl'));
  trace
    .command('push')
    .description(
      'Send the traces of JSONL event logs to Langfuse (keys from LANGFUSE_* or the config file).',
    )
    .argument('<events...>', 'JSONL event logs (their rotated files are read too)')
    .option(
      '--base-url <url>',
      'Langfuse URL (default: LANGFUSE_BASE_URL, LANGFUSE_HOST, the config file, Langfuse Cloud)',
    )
    .option('--environment <name>', 'langfuse.environment of every trace')
    .option('--release <name>', 'langfuse.release of every trace')
    .option('--tag <tag>', 'a tag added to every trace (repeatable)', collect)
    .addOption(
      new Option('--sample-rate <rate>', 'share of sessions to send (0-1)').argParser(ratio),
    )
    .addHelpText(
      'after',
      examples(
        'LANGFUSE_PUBLIC_KEY=pk-lf-… LANGFUSE_SECRET_KEY=sk-lf-… switchboard trace push events.jsonl',
        'switchboard trace push a.jsonl b.jsonl --tag replayed --base-url http://localhost:3000',
      ),
    )
    .action(lazy(async () => (await import('./trace/trace-push.js')).tracePush));
}
