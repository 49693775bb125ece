import { CommanderError } from 'commander';
import { SwitchboardError } from '@switchboard/events';
import { processIo, type CliIo } from './cli-io.js';
import { createProgram } from './create-program.js';

/**
 * Runs the CLI and returns the exit code. The one place that catches: a
 * SwitchboardError prints its stable code and message; anything else is a bug
 * and prints its stack with a request to report it.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = createProgram(io);
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (SwitchboardError.isInstance(error)) {
      process.stderr.write(`switchboard: ${error.code}: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(
      `switchboard: unexpected error, please report it.\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    return 1;
  }
}
