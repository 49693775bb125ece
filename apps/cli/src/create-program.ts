import { createRequire } from 'node:module';
import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { addChatCommand } from './commands/chat-command.js';
import { addDoctorCommand } from './commands/doctor-command.js';
import { addEventsCommand } from './commands/events-command.js';
import { addRunCommand } from './commands/run-command.js';
import { addServeCommand } from './commands/serve-command.js';
import { addSessionsCommand } from './commands/sessions-command.js';
import { addTraceCommand } from './commands/trace-command.js';
import { addVoiceCommand } from './commands/voice-command.js';
import { examples, lazyAction, type ProgramState } from './program/command-context.js';

// Only commander and the command definitions load here: each command imports
// its implementation (and the packages it needs) when it runs, which keeps
// `switchboard --help` close to a bare `node` start (see the bench target).

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** The `switchboard` command tree. `state.exitCode` receives the exit code of the command that ran. */
export function createProgram(io: CliIo, state: ProgramState): Command {
  const program = new Command('switchboard')
    .description('Build, run and observe AI agents from the terminal.')
    .version(version, '-v, --version', 'print the version')
    .option('-q, --quiet', 'print results only (no progress or notes on stderr)')
    .option('--verbose', 'print details on stderr')
    .option('--home <dir>', 'state directory (default: SWITCHBOARD_HOME, ~/.switchboard)')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command...]', 'show help for a command, e.g. help sessions list')
    .addHelpText(
      'after',
      examples('switchboard run "What is 2 + 2?"', 'switchboard help events validate'),
    );
  const lazy = (load: Parameters<typeof lazyAction>[2]) => lazyAction(io, state, load);
  addChatCommand(program, lazy);
  addRunCommand(program, lazy);
  addSessionsCommand(program, lazy);
  addEventsCommand(program, lazy);
  addTraceCommand(program, lazy);
  addServeCommand(program, lazy);
  addDoctorCommand(program, lazy);
  addVoiceCommand(program, lazy);
  return program;
}
