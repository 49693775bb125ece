import { PassThrough } from 'node:stream';
import type { CliIo } from '../cli-io.js';

/** An io that records what is written to it, for in-process tests. */
export interface RecordingIo extends CliIo {
  out(): string;
  err(): string;
}

/** A {@link RecordingIo} with the given environment, (non-TTY unless `tty`) streams and stdin text. */
export function recordingIo(
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    tty?: boolean;
    stdin?: string;
  } = {},
): RecordingIo {
  let out = '';
  let err = '';
  const tty = options.tty ?? false;
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  return {
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdout: { write: (text) => void (out += text), isTTY: tty, columns: 80 },
    stderr: { write: (text) => void (err += text), isTTY: tty, columns: 80 },
    stdin,
    out: () => out,
    err: () => err,
  };
}
