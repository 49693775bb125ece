import { Option, type Command } from 'commander';
import { examples, type LazyAction } from '../program/command-context.js';
import { nonEmpty, positiveInteger } from '../program/parsers.js';

/** `switchboard sessions list|show|rm|export`: the sessions of the shared store. */
export function addSessionsCommand(program: Command, lazy: LazyAction): void {
  const sessions = program
    .command('sessions')
    .description('List, show, delete and export the stored sessions (shared with the web app).')
    .addHelpText(
      'after',
      examples('switchboard sessions list', 'switchboard sessions show ses_123'),
    );
  const load = async () => import('./sessions/sessions-actions.js');
  sessions
    .command('list')
    .description('List sessions, most recently updated first.')
    .option('-n, --limit <n>', 'how many', positiveInteger, 20)
    .option('--search <text>', 'only sessions whose title contains this', nonEmpty)
    .option('--json', 'print JSON lines (one session per line)')
    .addHelpText(
      'after',
      examples(
        'switchboard sessions list --limit 5',
        'switchboard sessions list --search weather --json',
      ),
    )
    .action(lazy(async () => (await load()).listSessions));
  sessions
    .command('show')
    .description('Print a session’s transcript: messages, reasoning, tool calls, approvals.')
    .argument('<id>', 'session id', nonEmpty)
    .option('--no-reasoning', 'leave reasoning out')
    .addHelpText('after', examples('switchboard sessions show ses_123'))
    .action(lazy(async () => (await load()).showSession));
  sessions
    .command('rm')
    .alias('delete')
    .description('Delete sessions and their events (refused while another process has one open).')
    .argument('<id...>', 'session ids')
    .addHelpText('after', examples('switchboard sessions rm ses_123 ses_456'))
    .action(lazy(async () => (await load()).removeSessions));
  sessions
    .command('export')
    .description(
      'Write a session’s events as JSONL (the contract) or a Markdown transcript to stdout.',
    )
    .argument('<id>', 'session id', nonEmpty)
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['jsonl', 'markdown'])
        .default('jsonl'),
    )
    .addHelpText(
      'after',
      examples(
        'switchboard sessions export ses_123 > ses_123.jsonl',
        'switchboard sessions export ses_123 --format markdown > ses_123.md',
      ),
    )
    .action(lazy(async () => (await load()).exportSession));
}
