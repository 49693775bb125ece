/** A stream the CLI writes to. */
export interface CliStream {
  write(text: string): void;
  /** Whether it is a terminal: colour, live lines and spinners only then. */
  readonly isTTY: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

/**
 * Everything a command reads and writes, injectable so in-process tests can
 * run commands without touching the real process. Results go to `stdout`,
 * diagnostics (progress, warnings, errors) to `stderr`.
 */
export interface CliIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: CliStream;
  stderr: CliStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

function processStream(stream: NodeJS.WriteStream): CliStream {
  return {
    write: (text) => void stream.write(text),
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
  };
}

/** The real process. */
export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: processStream(process.stdout),
    stderr: processStream(process.stderr),
    stdin: process.stdin,
  };
}
