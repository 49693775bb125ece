import { SwitchboardError, type SwitchboardErrorInit } from '@switchboard/events';

/**
 * Every code the CLI itself raises. Errors of the packages it composes keep
 * their own codes (`CORE_*`, `EVENTS_*`, `TRACING_*`).
 */
export const CLI_ERROR_CODES = {
  /** A wrong command line: unknown command or flag, missing or bad value. Exit 2. */
  CLI_USAGE: 'The command line is not valid.',
  /** No model is configured (`run`, `chat`). Exit 2. */
  CLI_NO_MODEL: 'No model is configured.',
  /** A file given on the command line cannot be read. */
  CLI_FILE_UNREADABLE: 'A file cannot be read.',
  /** A run stopped without an answer (`max_steps`, `stuck`). */
  CLI_RUN_STOPPED: 'The run stopped without an answer.',
  /** No such session in the store. */
  CLI_SESSION_NOT_FOUND: 'No such session.',
  /** The command needs an optional package that is not installed (`voice`). Exit 2. */
  CLI_MISSING_PACKAGE: 'An optional package is not installed.',
} as const;

/** A stable CLI error code. */
export type CliErrorCode = keyof typeof CLI_ERROR_CODES;

/** What a {@link CliError} is built from: a hint line and the exit code besides the usual fields. */
export interface CliErrorInit extends SwitchboardErrorInit<CliErrorCode> {
  /** What to do about it, printed on its own line. */
  hint?: string;
  /** The process exit code. @default 1 (2 for `CLI_USAGE`, `CLI_NO_MODEL` and `CLI_MISSING_PACKAGE`) */
  exitCode?: number;
}

/** Codes that mean the command cannot run as set up (exit 2), not that it failed. */
const EXIT_2_CODES: ReadonlySet<CliErrorCode> = new Set([
  'CLI_USAGE',
  'CLI_NO_MODEL',
  'CLI_MISSING_PACKAGE',
]);

/** An error raised by the CLI; `main` prints it as `switchboard: CODE: message` plus its hint. */
export class CliError extends SwitchboardError<CliErrorCode> {
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor({ hint, exitCode, ...init }: CliErrorInit) {
    super(init);
    this.name = 'CliError';
    this.hint = hint;
    this.exitCode = exitCode ?? (EXIT_2_CODES.has(init.code) ? 2 : 1);
  }
}

/** A usage error (exit 2) naming what was wrong; `command` names the help to read. */
export function usageError(message: string, command = 'switchboard'): CliError {
  return new CliError({
    code: 'CLI_USAGE',
    message,
    hint: `See '${command} --help'.`,
  });
}

/** `CLI_NO_MODEL` (exit 2), with the ways to set one. */
export function noModelError(): CliError {
  return new CliError({
    code: 'CLI_NO_MODEL',
    message: 'No model is configured.',
    hint: 'Set SWITCHBOARD_MODEL (e.g. openai:gpt-4o-mini) or "model" in switchboard.config.json, or pass --model; \'switchboard doctor\' checks the setup.',
  });
}
