import type { EventSink } from './event-sink.js';

/** What `sinksFor` returns for a session without sinks: one shared array, not a new one per event. */
const NONE: readonly EventSink[] = Object.freeze([]);

/**
 * Which sinks receive which session's events (the seed's per-session routing,
 * as an injected object instead of global state). The bus consults it for every
 * event; registering during a session takes effect from the next event.
 */
export class SessionSinkRegistry {
  readonly #bySession = new Map<string, EventSink[]>();

  /** Routes `sessionId`'s events to `sink` too. Registering the same sink twice is a no-op. */
  register(sessionId: string, sink: EventSink): void {
    const sinks = this.#bySession.get(sessionId);
    if (!sinks) this.#bySession.set(sessionId, [sink]);
    else if (!sinks.includes(sink)) sinks.push(sink);
  }

  /** Stops routing to one sink. Returns whether it was registered. */
  unregister(sessionId: string, sink: EventSink): boolean {
    const sinks = this.#bySession.get(sessionId);
    const index = sinks?.indexOf(sink) ?? -1;
    if (!sinks || index < 0) return false;
    sinks.splice(index, 1);
    if (sinks.length === 0) this.#bySession.delete(sessionId);
    return true;
  }

  /**
   * Removes every sink of `sessionId` (or of every session when omitted) and
   * returns them, so the caller can flush and close them.
   */
  clear(sessionId?: string): EventSink[] {
    if (sessionId !== undefined) {
      const sinks = this.#bySession.get(sessionId) ?? [];
      this.#bySession.delete(sessionId);
      return sinks;
    }
    const all = [...this.#bySession.values()].flat();
    this.#bySession.clear();
    return all;
  }

  /** Sinks registered for `sessionId`, or across all sessions when omitted. */
  count(sessionId?: string): number {
    if (sessionId !== undefined) return this.#bySession.get(sessionId)?.length ?? 0;
    let total = 0;
    for (const sinks of this.#bySession.values()) total += sinks.length;
    return total;
  }

  /** The sinks for one session, in registration order. */
  sinksFor(sessionId: string): readonly EventSink[] {
    if (this.#bySession.size === 0) return NONE;
    return this.#bySession.get(sessionId) ?? NONE;
  }
}
