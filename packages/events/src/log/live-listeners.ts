import { EventsError } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import type { LiveListener } from './replay-then-live.js';

/** Per-session live listeners of a log, and its closed state. */
export class LiveListeners {
  readonly #bySession = new Map<string, Set<LiveListener>>();
  #close!: () => void;
  #isClosed = false;
  /** Resolves when the log is closed. */
  readonly closed = new Promise<void>((resolve) => (this.#close = resolve));

  listen(sessionId: string, listener: LiveListener): () => void {
    let set = this.#bySession.get(sessionId);
    if (!set) this.#bySession.set(sessionId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#bySession.delete(sessionId);
    };
  }

  /** Hands a stored batch to the listeners of each session in it, in order. */
  publish(events: readonly AnyEvent[]): void {
    if (this.#bySession.size === 0) return;
    let start = 0;
    for (let index = 1; index <= events.length; index++) {
      if (index === events.length || events[index]!.sessionId !== events[start]!.sessionId) {
        const listeners = this.#bySession.get(events[start]!.sessionId);
        if (listeners) {
          const slice = events.slice(start, index);
          for (const listener of listeners) listener(slice);
        }
        start = index;
      }
    }
  }

  assertOpen(): void {
    if (this.#isClosed) {
      throw new EventsError({ code: 'EVENTS_CLOSED', message: 'The event log is closed.' });
    }
  }

  close(): void {
    this.#isClosed = true;
    this.#bySession.clear();
    this.#close();
  }
}
