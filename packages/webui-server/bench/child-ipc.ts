import { fork, type ChildProcess } from 'node:child_process';

/** A bench server in its own process, asked over IPC. */
export interface BenchChild {
  /** Its base URL (`http://127.0.0.1:<port>`). */
  url: string;
  /** Sends `request` and resolves with the child's answer to it. */
  ask<T = unknown>(request: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Forks `file` (with this process's flags, so tsx loads TypeScript, plus
 * `extraExecArgv`, e.g. `--cpu-prof`) with `env`, waits for its `{ type: 'ready', url }` and returns a handle.
 * Answers are matched to requests by id.
 */
export async function forkBenchChild(
  file: URL,
  env: Record<string, string> = {},
  extraExecArgv: readonly string[] = [],
): Promise<BenchChild> {
  const child: ChildProcess = fork(file, [], {
    env: { ...process.env, ...env },
    execArgv: [...process.execArgv, ...extraExecArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    void exited.then(() => reject(new Error(`${file.pathname} exited before it was ready`)));
    child.once('message', (message: { type: string; url: string }) => resolve(message.url));
  });
  let nextId = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  child.on('message', (message: { id?: number; value?: unknown }) => {
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message.value);
    waiting.delete(message.id);
  });
  return {
    url,
    ask<T>(request: Record<string, unknown>) {
      return new Promise<T>((resolve) => {
        const id = ++nextId;
        waiting.set(id, (value) => resolve(value as T));
        child.send({ ...request, id });
      });
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** In a child: answers each request with `handle(request)`'s value. */
export function serveRequests(
  handle: (request: { type: string; [key: string]: unknown }) => Promise<unknown>,
): void {
  process.on('message', (request: { id: number; type: string }) => {
    void handle(request).then((value) => process.send!({ id: request.id, value }));
  });
}
