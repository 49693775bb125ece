import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI_BIN, cleanEnv } from './cli-process.js';

const exec = promisify(execFile);

/** Single-quotes a word for sh. */
const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * The CLI in a real terminal: a detached tmux session (its own server
 * socket, so a developer's tmux is untouched) running `switchboard <args>`,
 * driven with `send-keys` and read with `capture-pane`. When the CLI exits,
 * the pane shows `[exit <code>]`.
 */
export class TmuxSession {
  readonly #socket: string;
  readonly #name = 'cli';

  private constructor(socket: string) {
    this.#socket = socket;
  }

  static async start(
    args: string[],
    options: {
      env: Record<string, string | undefined>;
      cwd: string;
      width?: number;
      height?: number;
    },
  ): Promise<TmuxSession> {
    const socket = `switchboard-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const env = Object.entries(cleanEnv(options.env))
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => quote(`${name}=${value}`));
    const command = `env -i ${env.join(' ')} ${quote(process.execPath)} ${quote(CLI_BIN)} ${args.map(quote).join(' ')}; echo "[exit $?]"; sleep 600`;
    const session = new TmuxSession(socket);
    await session.#tmux(
      'new-session',
      '-d',
      '-s',
      session.#name,
      '-x',
      String(options.width ?? 160),
      '-y',
      String(options.height ?? 50),
      '-c',
      options.cwd,
      command,
    );
    return session;
  }

  async #tmux(...args: string[]): Promise<string> {
    const { stdout } = await exec('tmux', ['-L', this.#socket, '-f', '/dev/null', ...args]);
    return stdout;
  }

  /** Types `text` literally, then Enter unless `enter` is false. */
  async type(text: string, enter = true): Promise<void> {
    await this.#tmux('send-keys', '-t', this.#name, '-l', text);
    if (enter) await this.#tmux('send-keys', '-t', this.#name, 'Enter');
  }

  /** Sends keys by tmux name (`C-c`, `C-d`, `Enter`). */
  async keys(...keys: string[]): Promise<void> {
    await this.#tmux('send-keys', '-t', this.#name, ...keys);
  }

  /** The pane's text, history included, lines joined where they wrapped; `escapes` keeps colours. */
  screen(options: { escapes?: boolean } = {}): Promise<string> {
    const escapes = options.escapes ? ['-e'] : [];
    return this.#tmux('capture-pane', '-p', '-J', ...escapes, '-t', this.#name, '-S', '-500');
  }

  /** Polls the pane until `pattern` matches; fails with the screen after `timeoutMs`. */
  async waitFor(
    pattern: RegExp,
    timeoutMs = 60_000,
    options: { escapes?: boolean } = {},
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen(options);
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the screen never matched ${pattern}:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Kills the tmux server (and the CLI in it). */
  async close(): Promise<void> {
    await this.#tmux('kill-server').catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
