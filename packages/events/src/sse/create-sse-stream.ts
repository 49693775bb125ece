import { z } from 'zod';
import { parseEventsOptions } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { encodeSseComment, encodeSseEvent, encodeSseOpened, encodeSseRetry } from './encode-sse.js';

/** Options of {@link createSseStream}, parsed once. */
export const createSseStreamOptionsSchema = z.object({
  /** Send a `: ping` comment after this many milliseconds without output; 0 disables it. @default 15000 */
  keepAliveMs: z.number().int().nonnegative().default(15_000),
  /** Sent first as `retry:`: the client's reconnection delay in milliseconds. Omitted when unset. */
  retryMs: z.number().int().nonnegative().optional(),
  /** Ends the stream normally (closes it, stops the source) when aborted. */
  signal: z.custom<AbortSignal>((value) => typeof value === 'object' && value != null).optional(),
  /** Put in the `stream.opened` frame: the session's last stored `seq` when the stream opened. */
  headSeq: z.number().int().nonnegative().optional(),
  /** Put in the `stream.opened` frame. */
  sessionId: z.string().min(1).optional(),
});

/** What you pass to {@link createSseStream}. */
export type CreateSseStreamOptions = z.input<typeof createSseStreamOptionsSchema>;

const PING = encodeSseComment('ping');

/**
 * Turns events into the text of an SSE response: an optional `retry:` line,
 * the `stream.opened` frame, then one frame per event, with a `: ping` comment
 * whenever nothing was written for `keepAliveMs`. Pipe it through
 * `TextEncoderStream` to get bytes.
 *
 * The source is pulled one event at a time, so a slow client applies
 * backpressure instead of growing a queue. Cancelling the stream (the client
 * went away) or aborting `signal` calls `return()` on the source iterator and
 * clears the timer. An async generator blocked on an `await` only sees that
 * `return()` once it resumes, so a source that waits for live data should also
 * watch an abort signal (as `EventLog.subscribe` does).
 */
export function createSseStream(
  events: AsyncIterable<AnyEvent>,
  options: CreateSseStreamOptions = {},
): ReadableStream<string> {
  const { keepAliveMs, retryMs, signal, headSeq, sessionId } = parseEventsOptions(
    createSseStreamOptionsSchema,
    options,
  );
  const iterator = events[Symbol.asyncIterator]();
  let finished = false;
  let lastWriteAt = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller!: ReadableStreamDefaultController<string>;

  const write = (text: string) => {
    controller.enqueue(text);
    lastWriteAt = Date.now();
  };
  // One timer re-armed from the last write, rather than reset on every event.
  const arm = (delayMs: number) => {
    timer = setTimeout(() => {
      if (finished) return;
      const idleMs = Date.now() - lastWriteAt;
      if (idleMs >= keepAliveMs) {
        // A full queue means the client is not reading; a ping would not reach it sooner.
        if ((controller.desiredSize ?? 0) > 0) write(PING);
        arm(keepAliveMs);
      } else {
        arm(keepAliveMs - idleMs);
      }
    }, delayMs);
  };
  const stop = () => {
    if (finished) return false;
    finished = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    return true;
  };
  const stopSource = () => {
    void Promise.resolve()
      .then(() => iterator.return?.())
      .catch(() => {});
  };
  const onAbort = () => {
    if (!stop()) return;
    controller.close();
    stopSource();
  };

  return new ReadableStream<string>({
    start(streamController) {
      controller = streamController;
      if (retryMs !== undefined) write(encodeSseRetry(retryMs));
      write(encodeSseOpened({ headSeq, sessionId }));
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      if (keepAliveMs > 0) arm(keepAliveMs);
    },
    async pull() {
      if (finished) return;
      let result: IteratorResult<AnyEvent>;
      try {
        result = await iterator.next();
      } catch (error) {
        if (stop()) controller.error(error);
        return;
      }
      if (finished) return;
      if (result.done) {
        stop();
        controller.close();
        return;
      }
      write(encodeSseEvent(result.value));
    },
    cancel() {
      if (stop()) stopSource();
    },
  });
}
