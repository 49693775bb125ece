import type { PendingRequest } from '../sessions/session-snapshot.js';
import { onAbort } from '../tools/on-abort.js';

/** An answer to an `ask_user` question, and where it came from. */
export interface ClarifyAnswer {
  answer: string;
  source: 'user' | 'timeout';
}

/** A session's open questions: `respond()` calls the waiter of a request id. */
export type AnswerWaiters = Map<string, (answer: ClarifyAnswer) => void>;

/**
 * Waits for the answer to a clarify request: `respond()` (through
 * `waiters`), else its fallback answer after `timeoutMs`; rejects when the
 * run's signal aborts. The answer is recorded on the request.
 */
export function waitForAnswer(
  waiters: AnswerWaiters,
  request: Extract<PendingRequest, { kind: 'clarify' }>,
  signal: AbortSignal,
): Promise<ClarifyAnswer> {
  return new Promise((resolve, reject) => {
    // Through onAbort: parallel clarify calls share the run's one abort listener.
    let stopWaiting = () => {};
    const finish = (answer: ClarifyAnswer) => {
      clearTimeout(timer);
      stopWaiting();
      waiters.delete(request.requestId);
      request.response ??= answer;
      resolve(answer);
    };
    const timer = setTimeout(
      () => finish({ answer: request.fallbackAnswer, source: 'timeout' }),
      request.timeoutMs,
    );
    const cancelled = () => {
      clearTimeout(timer);
      waiters.delete(request.requestId);
      reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
    };
    if (signal.aborted) return cancelled();
    stopWaiting = onAbort(signal, cancelled);
    waiters.set(request.requestId, finish);
  });
}
