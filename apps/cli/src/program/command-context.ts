import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { Output, type Verbosity } from '../output/output.js';

/** Options every command takes (defined on the program, accepted anywhere). */
export interface GlobalOptions {
  quiet?: boolean;
  verbose?: boolean;
  /** `--home`: SWITCHBOARD_HOME for this command (the config loader's `home` flag). */
  home?: string;
}

/** What a command's handler gets: the io, its output and the global options. */
export interface CommandContext {
  io: CliIo;
  output: Output;
  globals: GlobalOptions;
}

/**
 * A command's implementation, loaded only when the command runs. It returns
 * the exit code (undefined means 0); errors are thrown and printed by `main`.
 */
export type CommandHandler = (context: CommandContext, command: Command) => Promise<number | void>;

/** Mutable state of one program run: the exit code the handler returned. */
export interface ProgramState {
  exitCode: number;
}

/** The verbosity the global flags ask for (`--quiet` wins over `--verbose`). */
export function verbosityOf(globals: GlobalOptions): Verbosity {
  if (globals.quiet) return 'quiet';
  return globals.verbose ? 'verbose' : 'normal';
}

/**
 * An action that imports its handler when it runs, so `switchboard --help`
 * and every other command load only commander and their own code.
 */
export function lazyAction(
  io: CliIo,
  state: ProgramState,
  load: () => Promise<CommandHandler>,
): (this: Command) => Promise<void> {
  return async function (this: Command) {
    const globals = this.optsWithGlobals<GlobalOptions>();
    const handler = await load();
    const code = await handler({ io, output: new Output(io, verbosityOf(globals)), globals }, this);
    state.exitCode = code ?? 0;
  };
}

/** {@link lazyAction} bound to one program's io and state. */
export type LazyAction = (load: () => Promise<CommandHandler>) => (this: Command) => Promise<void>;

/** The help text after a command's options: its examples. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}
