/** Callbacks waiting for each signal, behind the one listener this module adds to it. */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once when `signal` aborts (at once if it already has); returns a function that stops
 * waiting. However many callers wait on one signal (a run's signal shared by
 * 50 parallel tool calls), the signal gets a single `abort` listener, so Node
 * never warns `MaxListenersExceededWarning` and nothing accumulates on a
 * long-lived signal: a finished caller removes only its own entry.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) {
    // An aborted signal fires no more events: answer now rather than never.
    callback();
    return () => {};
  }
  let callbacks = waiting.get(signal);
  if (callbacks === undefined) {
    const created = new Set<() => void>();
    callbacks = created;
    waiting.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        waiting.delete(signal);
        for (const pending of [...created]) pending();
      },
      { once: true },
    );
  }
  const entry = () => callback();
  callbacks.add(entry);
  return () => {
    callbacks.delete(entry);
  };
}
