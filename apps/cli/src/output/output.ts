import type { CliIo, CliStream } from '../cli-io.js';
import { colorEnabled, createStyle, type Style } from './style.js';

/** How chatty diagnostics are: `--quiet`, default, `--verbose`. */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

/**
 * Where a command's output goes. Results go to stdout and nothing else does;
 * diagnostics go to stderr: `info` unless `--quiet`, `debug` only with
 * `--verbose`, warnings always. Each stream has its own colour decision.
 */
export class Output {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Styles for stdout (plain when stdout is not a terminal or NO_COLOR is set). */
  readonly style: Style;
  /** Styles for stderr. */
  readonly errStyle: Style;
  readonly verbosity: Verbosity;

  constructor(io: CliIo, verbosity: Verbosity = 'normal') {
    this.stdout = io.stdout;
    this.stderr = io.stderr;
    this.style = createStyle(colorEnabled(io.stdout, io.env));
    this.errStyle = createStyle(colorEnabled(io.stderr, io.env));
    this.verbosity = verbosity;
  }

  /** Live lines and spinners: only on a terminal, never with `--quiet`. */
  get live(): boolean {
    return this.stdout.isTTY && this.verbosity !== 'quiet';
  }

  /** A result, as is (add the newline yourself). */
  result(text: string): void {
    this.stdout.write(text);
  }

  /** A result line. */
  line(text = ''): void {
    this.stdout.write(`${text}\n`);
  }

  /** Progress and other diagnostics (stderr), unless `--quiet`. */
  info(text: string): void {
    if (this.verbosity !== 'quiet') this.stderr.write(`${text}\n`);
  }

  /** Details for `--verbose` (stderr). */
  debug(text: string): void {
    if (this.verbosity === 'verbose') this.stderr.write(`${this.errStyle.dim(text)}\n`);
  }

  /** A warning (stderr), shown even with `--quiet`. */
  warn(text: string): void {
    this.stderr.write(`${this.errStyle.yellow('warning:')} ${text}\n`);
  }
}
