import type { AnyEvent } from '../schema/agent-event.js';
import type { SequenceHead } from '../sequencer/session-sequencer.js';
import { DEFAULT_READ_LIMIT, type EventLog, type SubscribeOptions } from './event-log.js';
import { checkContiguous } from './check-contiguous.js';
import { LiveListeners } from './live-listeners.js';
import { replayThenLive } from './replay-then-live.js';

/**
 * An in-process {@link EventLog}: fast, exact, and gone with the process. For
 * tests, the browser and short-lived tools; use the SQLite log
 * (`@switchboard/events/node`) when events must survive a restart.
 */
export class MemoryEventLog implements EventLog {
  readonly #sessions = new Map<string, AnyEvent[]>();
  readonly #live = new LiveListeners();

  append(events: readonly AnyEvent[]): void {
    this.#live.assertOpen();
    checkContiguous(events, (sessionId) => this.head(sessionId));
    for (const event of events) {
      let stored = this.#sessions.get(event.sessionId);
      if (!stored) this.#sessions.set(event.sessionId, (stored = []));
      stored.push(event);
    }
    this.#live.publish(events);
  }

  read(sessionId: string, afterSeq = 0, limit = DEFAULT_READ_LIMIT): AnyEvent[] {
    const stored = this.#sessions.get(sessionId);
    if (!stored || stored.length === 0) return [];
    // seq is contiguous from the first stored event, so the index is arithmetic.
    const start = Math.max(0, afterSeq - stored[0]!.seq + 1);
    return stored.slice(start, start + limit);
  }

  head(sessionId: string): SequenceHead {
    const last = this.#sessions.get(sessionId)?.at(-1);
    return last ? { seq: last.seq, ts: last.ts } : { seq: 0, ts: 0 };
  }

  /** Deletes a session's events; returns how many. */
  deleteSession(sessionId: string): number {
    this.#live.assertOpen();
    const count = this.#sessions.get(sessionId)?.length ?? 0;
    this.#sessions.delete(sessionId);
    return count;
  }

  /** Session ids with at least one event, in first-append order. */
  sessions(): string[] {
    return [...this.#sessions.keys()];
  }

  subscribe(sessionId: string, options?: SubscribeOptions): AsyncIterable<AnyEvent> {
    return replayThenLive(
      {
        read: (id, after, limit) => this.read(id, after, limit),
        listen: (id, listener) => this.#live.listen(id, listener),
        closed: this.#live.closed,
      },
      sessionId,
      options,
    );
  }

  /** `await using` support: the same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  close(): void {
    this.#live.close();
  }
}
