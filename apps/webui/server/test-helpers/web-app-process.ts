import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built entry `pnpm start` runs. */
export const MAIN_ENTRY = fileURLToPath(new URL('../../dist-server/main.js', import.meta.url));
/** The built app with a `deploy` tool that needs approval (see web-app-fixture.mjs). */
export const FIXTURE_ENTRY = fileURLToPath(new URL('./web-app-fixture.mjs', import.meta.url));

/** How long a start may take on a loaded machine (Node start, SQLite, Fastify). */
const START_TIMEOUT_MS = 60_000;

/** One JSON log line of the app (pino). */
export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A web app running as a child process. */
export interface WebAppProcess {
  readonly child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** Its stdout lines that are JSON (pino). */
  lines(): LogLine[];
  /** Resolves with the URL of the "listening on" line; rejects if the process exits first. */
  listening(): Promise<string>;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `entry` (the built `main.js` by default) with exactly `env` plus
 * `PATH` and a `HOME` inside the test's directory (nothing from the
 * developer's environment leaks in), in a working directory with no
 * switchboard.config.json.
 */
export function spawnWebApp(options: {
  env: Record<string, string>;
  entry?: string;
  cwd: string;
  /**
   * A command the app is started through, which must `exec` it (same pid),
   * e.g. `unshare` for another host name.
   */
  wrapper?: readonly string[];
}): WebAppProcess {
  const command = [...(options.wrapper ?? []), process.execPath, options.entry ?? MAIN_ENTRY];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  const lines = (): LogLine[] =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  return {
    child,
    output: () => output,
    lines,
    exited,
    async listening() {
      const started = Date.now();
      for (;;) {
        const line = lines().find((entry) => entry.msg.startsWith('Switchboard web app listening'));
        if (line) return String(line.url);
        if (done) throw new Error(`the web app exited before listening:\n${output}`);
        if (Date.now() - started > START_TIMEOUT_MS)
          throw new Error(`the web app did not listen within ${START_TIMEOUT_MS} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (!done) child.kill(signal);
      return exited;
    },
    async [Symbol.asyncDispose]() {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A scratch directory (the app's HOME, cwd and SWITCHBOARD_HOME), removed on dispose. */
export function scratchDir(): { path: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-webui-'));
  return { path: dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A JSON answer, read loosely: each test asserts the fields it uses. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only: bodies of many shapes
type ApiJson = any;

/** A JSON request to the API as a script (not a browser page) sends it. */
export async function api(
  baseUrl: string,
  route: string,
  options: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; json: ApiJson }> {
  const response = await fetch(`${baseUrl}${route}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  const json: ApiJson = text ? JSON.parse(text) : undefined;
  return { status: response.status, json };
}
