import { CommanderError, type Command } from 'commander';
import { processIo, type CliIo } from './cli-io.js';
import { createProgram } from './create-program.js';
import { formatError, printableError } from './errors/format-error.js';
import { EXIT } from './program/exit-codes.js';

/** Commander outcomes that are not errors. */
const NOT_ERRORS = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Runs the CLI and returns the exit code: the command's own (0, 1, 3, 130),
 * 2 for a usage or configuration error. The one place that catches: a
 * Switchboard error prints `switchboard: CODE: message` and its hint;
 * anything else is a bug and prints its stack with a request to report it.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const state = { exitCode: 0 };
  const program = createProgram(io, state);
  let failedCommand: Command = program;
  configure(program, io, (command) => (failedCommand = command));
  const args = argv.slice(2);
  try {
    if (args[0] === 'help') return showHelp(program, args.slice(1), io);
    await program.parseAsync(args, { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (NOT_ERRORS.has(error.code)) return EXIT.OK;
      // Help shown because a command needs a subcommand: already on stderr.
      if (error.code === 'commander.help') return EXIT.USAGE;
      io.stderr.write(
        formatError({
          code: 'CLI_USAGE',
          message: error.message.replace(/^error: /, ''),
          hint: `See '${commandPath(failedCommand)} --help'.`,
        }),
      );
      return EXIT.USAGE;
    }
    const printable = printableError(error);
    if (printable) {
      io.stderr.write(formatError(printable));
      return exitCodeOf(error, printable.code);
    }
    io.stderr.write(
      `switchboard: unexpected error, please report it.\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    return EXIT.FAILED;
  }
}

/** Configuration problems are usage errors: nothing ran. */
const CONFIG_CODES = new Set([
  'CORE_CONFIG_INVALID',
  'CORE_CONFIG_SYNTAX',
  'CORE_CONFIG_UNREADABLE',
  'CORE_NO_MODEL',
  'CLI_NO_MODEL',
  'CORE_UNKNOWN_PROVIDER',
  'CORE_MISSING_API_KEY',
  'CORE_MISSING_BASE_URL',
  // serve: a non-loopback --host without SWITCHBOARD_TOKEN.
  'WEBUI_INSECURE_BIND',
]);

function exitCodeOf(error: unknown, code: string): number {
  const own = (error as { exitCode?: unknown }).exitCode;
  if (typeof own === 'number') return own;
  return CONFIG_CODES.has(code) ? EXIT.USAGE : EXIT.FAILED;
}

/**
 * Every command throws instead of exiting and prints nothing itself on a
 * usage error (main prints it in the CLI's format); help goes to stdout when
 * asked for, to stderr when shown because something was missing.
 */
function configure(command: Command, io: CliIo, onError: (command: Command) => void): void {
  command.exitOverride().configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    outputError: () => onError(command),
  });
  for (const sub of command.commands) {
    // `help <command…>` is the program's (main handles it); subcommands list no help command.
    sub.helpCommand(false);
    configure(sub, io, onError);
  }
}

/** `switchboard help <command> [<subcommand>…]`: that command's help on stdout. */
function showHelp(program: Command, names: string[], io: CliIo): number {
  let command = program;
  for (const name of names) {
    const sub = command.commands.find(
      (candidate) => candidate.name() === name || candidate.aliases().includes(name),
    );
    if (!sub) {
      io.stderr.write(
        formatError({
          code: 'CLI_USAGE',
          message: `unknown command '${[...commandPath(command).split(' ').slice(1), name].join(' ')}'`,
          hint: `See '${commandPath(command)} --help'.`,
        }),
      );
      return EXIT.USAGE;
    }
    command = sub;
  }
  command.outputHelp();
  return EXIT.OK;
}

/** `switchboard sessions list`: the names from the program down to `command`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent)
    names.unshift(current.name());
  return names.join(' ');
}
