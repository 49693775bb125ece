import {
  initialSessionView,
  reduceEvents,
  reduceSession,
  type AnyEvent,
  type EventBus,
  type SessionView,
} from '@switchboard/events';

/**
 * Follows one session's events on the bus and keeps its view
 * (`reduceSession`, the one reducer every surface uses). Start it from the
 * events already stored, so a continued session's items (a call awaiting
 * approval) are in the view when their next events come.
 */
export class SessionWatcher {
  #view: SessionView;
  readonly #listeners = new Set<(view: SessionView, event: AnyEvent) => void>();
  readonly #unsubscribe: () => void;
  readonly sessionId: string;

  constructor(bus: EventBus, sessionId: string, stored: readonly AnyEvent[] = []) {
    this.sessionId = sessionId;
    this.#view = stored.length > 0 ? reduceEvents(stored) : initialSessionView();
    this.#unsubscribe = bus.on('*', (event) => {
      if (event.sessionId !== sessionId) return;
      const next = reduceSession(this.#view, event);
      if (next === this.#view) return; // a replayed or foreign event
      this.#view = next;
      for (const listener of this.#listeners) listener(next, event);
    });
  }

  get view(): SessionView {
    return this.#view;
  }

  /** Calls `listener` with each new view and the event that made it; returns a remover. */
  onChange(listener: (view: SessionView, event: AnyEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops following the bus. */
  stop(): void {
    this.#unsubscribe();
    this.#listeners.clear();
  }
}
