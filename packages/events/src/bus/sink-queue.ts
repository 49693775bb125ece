import { EventsError } from '../errors/events-error.js';
import { SwitchboardError } from '../errors/switchboard-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import type { EventSink } from '../sinks/event-sink.js';
import type { SinkErrorHandler } from '../sinks/multi-sink.js';

/** What happens when a sink's queue is full. */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest';

/**
 * A bounded, ordered delivery queue in front of one sink. Pushing never
 * waits: an idle sink gets the event at once; while the sink's promise is
 * pending, later events queue and are handed over one by one in order. When the sink falls `limit` events
 * behind, events are dropped for that sink only, by `policy`, and reported as
 * `EVENTS_SINK_OVERFLOW` (once per overflow episode, with the count).
 */
export class SinkQueue {
  readonly sink: EventSink;
  readonly #limit: number;
  readonly #policy: OverflowPolicy;
  readonly #onError: SinkErrorHandler;
  #items: AnyEvent[] = [];
  #head = 0;
  #draining: Promise<void> | undefined;
  #dropped = 0;

  constructor(
    sink: EventSink,
    options: { limit: number; policy: OverflowPolicy; onError: SinkErrorHandler },
  ) {
    this.sink = sink;
    this.#limit = options.limit;
    this.#policy = options.policy;
    this.#onError = options.onError;
  }

  /** Events waiting for the sink. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  push(event: AnyEvent): void {
    // A sink that is not busy gets the event at once: synchronous sinks never
    // queue, and the limit only bounds the backlog behind a slow async write.
    if (!this.#draining) {
      const pending = this.#write(event);
      if (pending) this.#draining = this.#drain(pending);
      return;
    }
    if (this.length >= this.#limit) {
      this.#drop(event);
      if (this.#policy === 'drop-newest') return;
      this.#head += 1;
    }
    this.#items.push(event);
  }

  /** Resolves once every queued event has been handed to the sink. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /** Hands one event to the sink; returns its promise if it went asynchronous. */
  #write(event: AnyEvent): Promise<void> | undefined {
    try {
      const result = this.sink.write(event);
      if (result && typeof result.then === 'function') {
        return result.then(undefined, (error: unknown) => this.#fail(error, event));
      }
    } catch (error) {
      this.#fail(error, event);
    }
    return undefined;
  }

  async #drain(inFlight: Promise<void>): Promise<void> {
    try {
      await inFlight;
      while (this.length > 0) {
        const event = this.#items[this.#head]!;
        this.#head += 1;
        if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
          this.#items = this.#items.slice(this.#head);
          this.#head = 0;
        }
        const pending = this.#write(event);
        if (pending) await pending;
      }
    } finally {
      this.#items = [];
      this.#head = 0;
      this.#draining = undefined;
      this.#reportDropped();
    }
  }

  #fail(error: unknown, event: AnyEvent): void {
    // A sink's own coded error (EVENTS_EVENT_TOO_LARGE, …) is more useful than a wrapper.
    if (SwitchboardError.isInstance(error)) {
      this.#onError(error as EventsError);
      return;
    }
    this.#onError(
      new EventsError({
        code: 'EVENTS_SINK_FAILED',
        message: `Sink failed on seq ${event.seq} (${event.type}): ${(error as Error)?.message ?? String(error)}`,
        details: { sessionId: event.sessionId, seq: event.seq, type: event.type },
        cause: error,
      }),
    );
  }

  #drop(event: AnyEvent): void {
    this.#dropped += 1;
    if (this.#dropped === 1) {
      this.#onError(
        new EventsError({
          code: 'EVENTS_SINK_OVERFLOW',
          message: `Sink queue full (${this.#limit} events); dropping ${this.#policy === 'drop-newest' ? 'new' : 'old'} events for this sink.`,
          details: {
            sessionId: event.sessionId,
            seq: event.seq,
            limit: this.#limit,
            policy: this.#policy,
          },
        }),
      );
    }
  }

  #reportDropped(): void {
    if (this.#dropped <= 1) {
      this.#dropped = 0;
      return;
    }
    this.#onError(
      new EventsError({
        code: 'EVENTS_SINK_OVERFLOW',
        message: `Sink caught up after dropping ${this.#dropped} events.`,
        details: { dropped: this.#dropped, limit: this.#limit, policy: this.#policy },
      }),
    );
    this.#dropped = 0;
  }
}
