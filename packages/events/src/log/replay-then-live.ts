import type { AnyEvent } from '../schema/agent-event.js';
import type { SubscribeOptions } from './event-log.js';

/** Called with each stored batch of one session's events. */
export type LiveListener = (events: readonly AnyEvent[]) => void;

/** What {@link replayThenLive} needs from a log. */
export interface ReplaySource {
  read(sessionId: string, afterSeq: number, limit: number): AnyEvent[] | Promise<AnyEvent[]>;
  /** Registers a listener for one session's newly stored events; returns the unsubscribe. */
  listen(sessionId: string, listener: LiveListener): () => void;
  /** Resolves when the log closes, ending every subscription. */
  closed: Promise<void>;
}

/** Live events buffered per subscriber before it falls back to reading the log. */
const MAX_BUFFERED = 10_000;
const PAGE = 500;

/**
 * The resume algorithm shared by every log backend:
 * 1. start listening to live appends *before* reading, buffering them;
 * 2. replay stored events after the cursor, page by page;
 * 3. drain buffered live events that are newer than the cursor, then wait.
 * A gap between the cursor and a live event (or a buffer overflow from a slow
 * consumer) is filled from the log, which already holds everything published,
 * so the consumer never sees a gap or a duplicate and the producer never waits.
 */
export async function* replayThenLive(
  source: ReplaySource,
  sessionId: string,
  { afterSeq = 0, signal }: SubscribeOptions = {},
): AsyncGenerator<AnyEvent> {
  let buffer: AnyEvent[] = [];
  let overflowed = false;
  let wake: (() => void) | undefined;
  const unlisten = source.listen(sessionId, (events) => {
    if (buffer.length + events.length > MAX_BUFFERED) {
      buffer = [];
      overflowed = true;
    } else {
      buffer.push(...events);
    }
    wake?.();
  });
  let finished = false;
  const finish = () => {
    finished = true;
    wake?.();
  };
  signal?.addEventListener('abort', finish, { once: true });
  void source.closed.then(finish);
  let cursor = afterSeq;
  try {
    const catchUp = async function* () {
      for (;;) {
        const page = await source.read(sessionId, cursor, PAGE);
        for (const event of page) {
          if (event.seq !== cursor + 1) continue; // defensive: logs are contiguous
          cursor = event.seq;
          yield event;
        }
        if (page.length < PAGE) return;
      }
    };
    yield* catchUp();
    while (!finished && !signal?.aborted) {
      if (overflowed) {
        overflowed = false;
        yield* catchUp();
        continue;
      }
      const next = buffer.shift();
      if (!next) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      if (next.seq <= cursor) continue;
      if (next.seq > cursor + 1) {
        buffer.unshift(next);
        yield* catchUp();
        continue;
      }
      cursor = next.seq;
      yield next;
    }
  } finally {
    unlisten();
    signal?.removeEventListener('abort', finish);
  }
}
