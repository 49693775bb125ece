import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchMessage, BenchRequest, BenchScriptName } from './bench-protocol.js';

/** The model server and Langfuse receiver running in a child process. */
export interface BenchServers {
  /** OpenAI-compatible (and Anthropic) base URL: `http://127.0.0.1:<port>/v1`. */
  readonly modelBaseUrl: string;
  /** Langfuse base URL (`LANGFUSE_BASE_URL`) of the OTLP receiver. */
  readonly receiverBaseUrl: string;
  /** Process id of the child. */
  readonly pid: number;
  /** Model calls answered, spans accepted and export requests received so far. */
  stats(): Promise<{ modelCalls: number; spans: number; exports: number }>;
  /** Switches the model's script (the call counter keeps counting); `paceMs` waits between chunks. */
  setScript(name: BenchScriptName, options?: { paceMs?: number }): Promise<void>;
  /** Stops the child and waits for it to exit. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * The child's entry in `dist`. From `src/bench` (tests) and from `dist/bench`
 * (the published package) alike, `../../dist/bench` is this package's dist.
 */
/** A request without its id (added by `ask`), per union member. */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

const CHILD = fileURLToPath(new URL('../../dist/bench/bench-servers-child.js', import.meta.url));

/**
 * Starts the testkit's scripted model server (playing the
 * `three-tool-calls` script: see {@link threeToolCallsThenAnswer}) and its
 * Langfuse OTLP receiver in a separate Node process, so a benchmark's CPU
 * time and event loop hold only the code it measures, not the servers'.
 */
export async function startBenchServers(): Promise<BenchServers> {
  // A plain Node process: not the parent's flags (a bench may run under --import tsx).
  const child = fork(CHILD, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = await new Promise<Extract<BenchMessage, { type: 'ready' }>>((resolve, reject) => {
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`bench servers exited early (code ${code})`)));
    child.once('message', (message: BenchMessage) => {
      if (message.type === 'ready') resolve(message);
      else reject(new Error(`bench servers: unexpected first message ${message.type}`));
    });
  });
  let nextId = 0;
  const waiting = new Map<number, (message: BenchMessage) => void>();
  child.on('message', (message: BenchMessage) => {
    if ('id' in message) {
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    }
  });
  const ask = <T extends BenchMessage>(request: Unsent<BenchRequest>) =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      waiting.set(id, (message) => resolve(message as T));
      child.send({ ...request, id });
    });
  const close = async () => {
    if (child.connected) child.disconnect();
    await exited;
  };
  return {
    modelBaseUrl: ready.modelBaseUrl,
    receiverBaseUrl: ready.receiverBaseUrl,
    pid: child.pid!,
    async stats() {
      const { modelCalls, spans, exports } = await ask<Extract<BenchMessage, { type: 'stats' }>>({
        type: 'stats',
      });
      return { modelCalls, spans, exports };
    },
    async setScript(name, options = {}) {
      await ask({ type: 'script', name, ...options });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
