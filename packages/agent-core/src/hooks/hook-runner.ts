import type { AgentHooks, HookHandlers, HookName } from './agent-hooks.js';

type Payload<K extends HookName> = Parameters<AgentHooks[K]>[0];
type Result<K extends HookName> = Awaited<ReturnType<AgentHooks[K]>>;

/** Called when a hook throws, rejects or times out. */
export type HookFailureHandler = (failure: {
  hook: HookName;
  error: unknown;
  timedOut: boolean;
}) => void;

/**
 * Runs hook handlers in registration order, isolated: a failing or slow
 * handler is reported and skipped, never rethrown into the loop. A handler
 * that takes longer than `timeoutMs` is abandoned (its promise keeps running
 * but the loop stops waiting for it).
 */
export class HookRunner {
  readonly #handlers = new Map<HookName, Array<(payload: never) => unknown>>();
  readonly #timeoutMs: number;
  readonly #onFailure: HookFailureHandler;

  constructor(options: { timeoutMs: number; onFailure: HookFailureHandler; hooks?: HookHandlers }) {
    this.#timeoutMs = options.timeoutMs;
    this.#onFailure = options.onFailure;
    for (const [name, value] of Object.entries(options.hooks ?? {})) {
      for (const handler of [value].flat()) if (handler) this.on(name as HookName, handler);
    }
  }

  /** Adds a handler; returns a function that removes it. */
  on<K extends HookName>(name: K, handler: AgentHooks[K]): () => void {
    let list = this.#handlers.get(name);
    if (!list) this.#handlers.set(name, (list = []));
    const entry = handler as (payload: never) => unknown;
    list.push(entry);
    return () => {
      const index = list.indexOf(entry);
      if (index >= 0) list.splice(index, 1);
    };
  }

  /** True when at least one handler is registered for `name`. */
  has(name: HookName): boolean {
    return (this.#handlers.get(name)?.length ?? 0) > 0;
  }

  /** Runs every handler of `name`; returns their results (failed ones are left out). */
  async run<K extends HookName>(name: K, payload: Payload<K>): Promise<Array<Result<K>>> {
    const handlers = this.#handlers.get(name);
    if (!handlers || handlers.length === 0) return [];
    const results: Array<Result<K>> = [];
    for (const handler of [...handlers]) {
      try {
        const value = handler(payload as never);
        results.push(
          (value instanceof Promise ? await this.#withTimeout(name, value) : value) as Result<K>,
        );
      } catch (error) {
        if (!(error instanceof HookTimeout))
          this.#onFailure({ hook: name, error, timedOut: false });
      }
    }
    return results;
  }

  async #withTimeout(name: HookName, promise: Promise<unknown>): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        promise,
        new Promise((_, reject) => {
          timer = setTimeout(() => {
            this.#onFailure({
              hook: name,
              error: new Error(`hook ${name} timed out after ${this.#timeoutMs} ms`),
              timedOut: true,
            });
            reject(new HookTimeout());
          }, this.#timeoutMs);
          timer.unref?.();
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Internal marker: the timeout was already reported. */
class HookTimeout extends Error {}
