import { createRequire } from 'node:module';
import { Command } from 'commander';
import { CONTRACT_VERSION } from '@switchboard/events';
import { processIo, type CliIo } from './cli-io.js';
import { createTraceCommand } from './commands/trace-command.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Builds the `switchboard` command tree. Commands land here as their packages do. */
export function createProgram(io: CliIo = processIo): Command {
  return new Command('switchboard')
    .description(
      `Build, run and observe AI agents from the terminal (event contract v${CONTRACT_VERSION}).`,
    )
    .version(version, '-v, --version')
    .showHelpAfterError()
    .addCommand(createTraceCommand(io));
}
