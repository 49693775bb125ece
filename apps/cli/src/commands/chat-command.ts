import type { Command } from 'commander';
import { examples, type LazyAction } from '../program/command-context.js';
import { nonEmpty, positiveInteger } from '../program/parsers.js';

/** `switchboard chat`: an interactive conversation in the terminal. */
export function addChatCommand(program: Command, lazy: LazyAction): void {
  program
    .command('chat')
    .description(
      'Chat with the agent in the terminal: streaming answers, tool calls, approvals and questions inline, /help for commands. Sessions are shared with the web app.',
    )
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
    .option('--max-turns <n>', 'model calls allowed per run', positiveInteger)
    .option('--no-tools', 'chat without the built-in tools (list_files, read_file, run_command)')
    .addHelpText(
      'after',
      examples(
        'switchboard chat',
        'switchboard chat --model anthropic:claude-haiku-4-5 --session ses_123',
        'printf "hello\\n/cost\\n" | switchboard chat',
      ),
    )
    .action(lazy(async () => (await import('./chat/chat-action.js')).chatAction));
}
