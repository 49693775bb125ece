import type { Command } from 'commander';
import { examples, type LazyAction } from '../program/command-context.js';
import { nonEmpty } from '../program/parsers.js';

/** `switchboard serve`: the web API (and the chat UI when built), as `pnpm start` runs it. */
export function addServeCommand(program: Command, lazy: LazyAction): void {
  program
    .command('serve')
    .description(
      'Serve the HTTP API (and the web app when it is built) with the configured model, sessions under SWITCHBOARD_HOME; stops gracefully on SIGTERM or Ctrl-C. Logs go to stderr as JSON lines.',
    )
    // Plain strings: the shared config loader checks them and names the flag in its error.
    .option('--port <port>', 'port to listen on, 0 for any free one (default: PORT, 8420)')
    .option(
      '--host <host>',
      'address to listen on (default: HOST, 127.0.0.1); any other than loopback needs SWITCHBOARD_TOKEN',
    )
    .option('-m, --model <provider:model>', 'the model of new sessions', nonEmpty)
    .option('--base-url <url>', 'base URL of openai-compatible: models')
    .option(
      '--client-dir <dir>',
      "the built chat UI to serve (default: the repository's apps/webui/dist when built)",
    )
    .addHelpText(
      'after',
      examples(
        'switchboard serve',
        'switchboard serve --port 0',
        'SWITCHBOARD_TOKEN=$(openssl rand -hex 32) switchboard serve --host 0.0.0.0',
      ),
    )
    .action(lazy(async () => (await import('./serve/serve-action.js')).serveAction));
}
