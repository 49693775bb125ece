import type { FetchLike } from '@switchboard/events/client';

/**
 * How long an event stream may stay silent before it counts as dead. The
 * server sends a `: ping` comment after 15 s of silence, so three missed
 * heartbeats mean the connection is gone even if the socket never said so
 * (a sleeping laptop, a proxy that dropped it).
 */
export const STALE_AFTER_MS = 45_000;

/** What the wrapped fetch tells its owner. */
export interface LivenessHooks {
  /** Bytes arrived (events or heartbeats). */
  onActivity?: () => void;
  /** Runs before each connection attempt; a Response it returns is used instead (e.g. a 404). */
  beforeConnect?: (signal: AbortSignal | undefined) => Promise<Response | undefined>;
  staleAfterMs?: number;
}

/**
 * A `fetch` for `connectEventStream` that treats heartbeats as liveness: every
 * chunk of the body (an event or a `: ping`) re-arms a watchdog, and a body
 * silent for `staleAfterMs` is aborted, so the client reconnects with
 * `Last-Event-ID` instead of waiting on a dead socket for ever.
 */
export function livenessFetch(hooks: LivenessHooks = {}): FetchLike {
  const staleAfterMs = hooks.staleAfterMs ?? STALE_AFTER_MS;
  return async (url, init) => {
    const outer = init.signal ?? undefined;
    const early = await hooks.beforeConnect?.(outer);
    if (early) return early;
    const inner = new AbortController();
    const forward = () => inner.abort(outer?.reason);
    if (outer?.aborted) forward();
    outer?.addEventListener('abort', forward, { once: true });
    const response = await fetch(url, { ...init, signal: inner.signal });
    if (!response.body) return response;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => inner.abort(new Error('event stream silent')), staleAfterMs);
    };
    arm();
    const watched = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          arm();
          hooks.onActivity?.();
          controller.enqueue(chunk);
        },
        flush() {
          clearTimeout(timer);
        },
      }),
    );
    inner.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    return new Response(watched, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
