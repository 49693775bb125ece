import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built binary, as users run it (the `test` target builds it first). */
export const CLI_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** A fresh temporary directory. */
export function tempDir(prefix = 'switchboard-cli-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The real process environment without the variables that configure
 * Switchboard, its providers and Langfuse (the developer's own must not leak
 * into a test), plus `env`.
 */
export function cleanEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(SWITCHBOARD_|LANGFUSE_|OPENAI_|ANTHROPIC_|OLLAMA_|DEEPGRAM_|ELEVENLABS_|NO_COLOR$|FORCE_COLOR$)/.test(
          name,
        ),
    ),
  );
  return { ...base, ...env };
}

/** What a finished CLI process left. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running CLI process with its output so far. */
export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout (or stderr) matches; rejects when the process ends first or after `timeoutMs`. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
}

/** Starts `switchboard <args>` with `env` (over {@link cleanEnv}) in `cwd`; `stdin` (default empty) is written and closed. */
export function startCli(
  args: string[],
  options: { env: Record<string, string | undefined>; cwd: string; stdin?: string },
): CliProcess {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    env: cleanEnv(options.env),
    cwd: options.cwd,
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), notify()));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), notify()));
  child.stdin.end(options.stdin ?? '');
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => (notify(), resolve({ code, signal, stdout, stderr })));
  });
  let exited = false;
  void done.then(() => (exited = true));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    waitFor(pattern, stream = 'stdout', timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stream === 'stdout' ? stdout : stderr)) {
            cleanup();
            resolve();
          } else if (exited) {
            cleanup();
            reject(new Error(`exited before ${stream} matched ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `${stream} did not match ${pattern} in ${timeoutMs} ms:\n${stdout}\n${stderr}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs `switchboard <args>` to the end. */
export function runCli(
  args: string[],
  options: { env: Record<string, string | undefined>; cwd: string; stdin?: string },
): Promise<CliResult> {
  return startCli(args, options).done;
}
