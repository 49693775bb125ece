import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3StreamPart,
} from '@ai-sdk/provider';
import { APICallError } from '@ai-sdk/provider';
import type { Redactor } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { classifyProviderError } from './provider-errors.js';

/** Retry policy of one model before falling back to the next. */
export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Codes worth trying the next model for. */
const FALLBACK_CODES = new Set([
  'CORE_PROVIDER_RATE_LIMIT',
  'CORE_PROVIDER_QUOTA',
  'CORE_PROVIDER_UNAVAILABLE',
  'CORE_PROVIDER_NO_RESPONSE',
  'CORE_MODEL_NOT_FOUND',
  'CORE_PROVIDER_ERROR',
]);

const CONTENT = new Set([
  'text-delta',
  'reasoning-delta',
  'tool-input-start',
  'tool-call',
  'finish',
]);

/** A failed attempt that will be tried again (see `onRetry`). */
export interface RetryInfo {
  /** The attempt that failed (1-based, counted across retries and fallbacks). */
  attempt: number;
  nextAttempt: number;
  /** How long the loop waits before the next attempt; 0 before a fallback. */
  delayMs: number;
  error: AgentCoreError;
  /** The model of the failed attempt. */
  model: LanguageModelV3;
  /** Set when the next attempt uses the next fallback model. */
  fallbackTo?: LanguageModelV3;
}

/**
 * Opens a model stream with retries and ordered fallbacks. A call is retried
 * (exponential backoff with jitter, honouring `retry-after-ms` / `retry-after`)
 * when it fails retryably, including a stream that errors or ends before its
 * first content part. Once content has been produced, errors pass through to
 * the caller: retrying then would duplicate deltas. This loop owns every
 * retry (the provider's `doStream` never retries; the AI SDK's `maxRetries`
 * lives in `streamText`, which is not used), so `onAttempt` and `onRetry`
 * see each one.
 */
export async function openModelStream(options: {
  models: LanguageModelV3[];
  callOptions: Omit<LanguageModelV3CallOptions, 'abortSignal'>;
  signal: AbortSignal;
  retry: RetryPolicy;
  /**
   * A call that sends nothing for this long (before or between parts) is
   * aborted and fails as `CORE_PROVIDER_NO_RESPONSE`: retried before any
   * content, a failed step after it. @default 120000
   */
  idleTimeoutMs?: number;
  onFallback?: (info: { from: string; to: string; error: AgentCoreError }) => void;
  /** Redacts provider errors (the configured keys, echoed in a 401 body, included). */
  redactor?: Redactor;
  /** Called before each attempt, with its number counted across retries and fallbacks. */
  onAttempt?: (info: { attempt: number; model: LanguageModelV3 }) => void;
  /** Called after a failed attempt, before the wait for the next one. */
  onRetry?: (info: RetryInfo) => void;
}): Promise<{
  stream: ModelPartReader;
  model: LanguageModelV3;
  modelIndex: number;
  attempt: number;
}> {
  let lastError: AgentCoreError | undefined;
  let attempt = 0;
  for (let modelIndex = 0; modelIndex < options.models.length; modelIndex++) {
    const model = options.models[modelIndex]!;
    for (let retry = 0; retry <= options.retry.maxRetries; retry++) {
      options.signal.throwIfAborted();
      attempt += 1;
      options.onAttempt?.({ attempt, model });
      // Per call, so a stalled call can be torn down without cancelling the run.
      const call = new AbortController();
      const watchdog = new IdleWatchdog(options.idleTimeoutMs ?? 120_000, model, call);
      try {
        const { stream } = await watchdog.guard(
          model.doStream({
            ...options.callOptions,
            abortSignal: AbortSignal.any([options.signal, call.signal]),
          }),
        );
        const primed = await primeStream(stream, watchdog);
        return { stream: primed, model, modelIndex, attempt };
      } catch (error) {
        watchdog.stop();
        options.signal.throwIfAborted();
        lastError = classifyProviderError(error, options.redactor);
        if (!lastError.retryable || retry >= options.retry.maxRetries) break;
        const delayMs = delayFor(error, retry + 1, options.retry);
        options.onRetry?.({ attempt, nextAttempt: attempt + 1, delayMs, error: lastError, model });
        await sleep(delayMs, options.signal);
      }
    }
    const next = options.models[modelIndex + 1];
    if (!next || !lastError || !FALLBACK_CODES.has(lastError.code)) break;
    options.onRetry?.({
      attempt,
      nextAttempt: attempt + 1,
      delayMs: 0,
      error: lastError,
      model,
      fallbackTo: next,
    });
    options.onFallback?.({
      from: `${model.provider}:${model.modelId}`,
      to: `${next.provider}:${next.modelId}`,
      error: lastError,
    });
  }
  throw lastError ?? new Error('no model to call');
}

/**
 * Fails a call that goes quiet: every awaited step of it (the request, each
 * read) races the idle timeout; on expiry the call's own signal is aborted,
 * which closes the HTTP connection, and the step throws
 * `CORE_PROVIDER_NO_RESPONSE`. Time between steps (the caller handling a
 * part) does not count. One timer per call, re-armed with `refresh()` at
 * each step: a model stream has a step per chunk, and a new timer and
 * promise race for each showed up in the server's CPU profile.
 */
class IdleWatchdog {
  readonly #idleMs: number;
  readonly #model: LanguageModelV3;
  readonly #call: AbortController;
  #timer: NodeJS.Timeout | undefined;
  /** Rejects the step in flight; undefined between steps. */
  #fail: ((error: Error) => void) | undefined;

  constructor(idleMs: number, model: LanguageModelV3, call: AbortController) {
    this.#idleMs = idleMs;
    this.#model = model;
    this.#call = call;
  }

  guard<T>(work: PromiseLike<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#fail = reject;
      if (this.#timer) this.#timer.refresh();
      else {
        this.#timer = setTimeout(() => this.#expire(), this.#idleMs);
        // Between steps nothing waits on it; the call's socket keeps the process alive meanwhile.
        this.#timer.unref();
      }
      work.then(
        (value) => {
          this.#fail = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.#fail = undefined;
          this.stop();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#fail = undefined;
  }

  #expire(): void {
    this.#timer = undefined;
    const fail = this.#fail;
    // Fired between steps: the caller was busy, not the provider; the next step re-arms.
    if (!fail) return;
    this.#fail = undefined;
    const error = new AgentCoreError({
      code: 'CORE_PROVIDER_NO_RESPONSE',
      message: `${this.#model.provider}:${this.#model.modelId} sent nothing for ${this.#idleMs} ms.`,
      retryable: true,
      hint: 'The provider stalled. Check its status, or raise modelIdleTimeoutMs for very slow models.',
    });
    this.#call.abort(error);
    fail(error);
  }
}

/**
 * The parts of an opened model stream, read one at a time (a reader, not a
 * `ReadableStream`: one stage less per chunk than wrapping the provider's
 * stream again). Each read is guarded by the call's idle timeout.
 */
export interface ModelPartReader {
  read(): ReturnType<ReadableStreamDefaultReader<LanguageModelV3StreamPart>['read']>;
  /** Stops reading: the idle timer ends and the provider's stream is released (not cancelled). */
  release(): void;
}

/** Reads until the first content part; a failure before it throws (so the call can be retried). */
async function primeStream(
  stream: ReadableStream<LanguageModelV3StreamPart>,
  watchdog: IdleWatchdog,
): Promise<ModelPartReader> {
  const reader = stream.getReader();
  const head: LanguageModelV3StreamPart[] = [];
  for (;;) {
    const { value, done } = await watchdog.guard(reader.read());
    if (done) throw new Error('The stream ended before any content (no response).');
    if (value.type === 'error') throw value.error;
    head.push(value);
    if (CONTENT.has(value.type)) break;
  }
  let next = 0;
  return {
    async read() {
      if (next < head.length) return { value: head[next++]!, done: false };
      const result = await watchdog.guard(reader.read());
      if (result.done) watchdog.stop();
      return result;
    },
    release() {
      watchdog.stop();
      reader.releaseLock();
    },
  };
}

function delayFor(error: unknown, attempt: number, retry: RetryPolicy): number {
  const headers = APICallError.isInstance(error) ? (error.responseHeaders ?? {}) : {};
  const ms = Number(headers['retry-after-ms']);
  if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, retry.maxDelayMs);
  const after = headers['retry-after'];
  if (after !== undefined) {
    const seconds = Number(after);
    const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - Date.now();
    if (Number.isFinite(wait) && wait >= 0) return Math.min(wait, retry.maxDelayMs);
  }
  const exponential = retry.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(retry.maxDelayMs, exponential * (0.75 + Math.random() * 0.5));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
