import { APICallError } from '@ai-sdk/provider';
import { z } from 'zod';
import { VoiceError } from '../errors/voice-error.js';

/** How a cloud engine retries a failed HTTP call (429, 5xx, dropped connections). */
export const cloudRetrySchema = z.strictObject({
  /** Retries after the first attempt. */
  maxRetries: z.number().int().min(0).max(10).default(2),
  /** First backoff delay; doubles per retry unless the vendor sends `retry-after(-ms)`. */
  initialDelayMs: z.number().int().min(0).max(60_000).default(500),
  /** Longest wait honoured; a longer `retry-after` fails at once instead of stalling the turn. */
  maxDelayMs: z.number().int().min(0).max(120_000).default(10_000),
});
export type CloudRetryOptions = z.input<typeof cloudRetrySchema>;

/**
 * Runs one vendor call with retries and turns its failure into a coded
 * {@link VoiceError} (`VOICE_STT_FAILED` / `VOICE_TTS_FAILED`) whose details
 * carry the HTTP status and the attempts made. Messages come from the
 * provider's error parsing (the vendor's error text), never from the request.
 */
export async function callCloud<T>(
  run: (signal: AbortSignal | undefined) => PromiseLike<T>,
  context: {
    code: 'VOICE_STT_FAILED' | 'VOICE_TTS_FAILED';
    label: string;
    retry: z.output<typeof cloudRetrySchema>;
    signal?: AbortSignal;
  },
): Promise<T> {
  const { retry, signal } = context;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      const delay = attempt <= retry.maxRetries ? retryDelay(error, attempt, retry) : undefined;
      if (delay === undefined) throw toVoiceError(error, context, attempt);
      await sleep(delay, signal);
    }
  }
}

/** The wait before retry `attempt`, or undefined when the error is final. */
function retryDelay(
  error: unknown,
  attempt: number,
  retry: z.output<typeof cloudRetrySchema>,
): number | undefined {
  if (!APICallError.isInstance(error) || !error.isRetryable) return undefined;
  const headers = error.responseHeaders ?? {};
  const ms = Number(headers['retry-after-ms']);
  const seconds = Number(headers['retry-after']);
  const asked =
    Number.isFinite(ms) && ms >= 0 ? ms : Number.isFinite(seconds) ? seconds * 1000 : undefined;
  const delay = asked ?? retry.initialDelayMs * 2 ** (attempt - 1);
  return delay > retry.maxDelayMs ? undefined : delay;
}

function toVoiceError(
  error: unknown,
  context: { code: 'VOICE_STT_FAILED' | 'VOICE_TTS_FAILED'; label: string },
  attempts: number,
): VoiceError {
  if (error instanceof VoiceError) return error;
  const status = APICallError.isInstance(error) ? error.statusCode : undefined;
  const reason = error instanceof Error ? error.message : String(error);
  return new VoiceError({
    code: context.code,
    message: `${context.label}: ${status === undefined ? '' : `HTTP ${status}: `}${reason}`,
    retryable: APICallError.isInstance(error) && error.isRetryable,
    details: { engine: context.label, attempts, ...(status === undefined ? {} : { status }) },
    cause: error,
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  const aborted = () =>
    signal?.reason instanceof Error ? signal.reason : new Error('The call was aborted.');
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
