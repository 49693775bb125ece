import { EventsError } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import type { EventSink } from '../sinks/event-sink.js';
import type { SinkErrorHandler } from '../sinks/multi-sink.js';

/** What happens when a sink's queue is full. */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest';

/**
 * A bounded, ordered delivery queue in front of one sink. The emitter only
 * ever pushes (O(1), never waits); the queue drains on its own, awaiting the
 * sink's promise before the next event. When the sink falls `limit` events
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
    if (this.length >= this.#limit) {
      this.#drop(event);
      if (this.#policy === 'drop-newest') return;
      this.#head += 1;
    }
    this.#items.push(event);
    this.#draining ??= this.#drain();
  }

  /** Resolves once every queued event has been handed to the sink. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    // Start on a fresh microtask so a burst of emits is pushed before the first write.
    await undefined;
    try {
      while (this.length > 0) {
        const event = this.#items[this.#head]!;
        this.#head += 1;
        if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
          this.#items = this.#items.slice(this.#head);
          this.#head = 0;
        }
        try {
          const result = this.sink.write(event);
          if (result) await result;
        } catch (error) {
          this.#onError(
            new EventsError({
              code: 'EVENTS_SINK_FAILED',
              message: `Sink failed on seq ${event.seq} (${event.type}): ${(error as Error)?.message ?? String(error)}`,
              details: { sessionId: event.sessionId, seq: event.seq, type: event.type },
              cause: error,
            }),
          );
        }
      }
    } finally {
      this.#items = [];
      this.#head = 0;
      this.#draining = undefined;
      this.#reportDropped();
    }
  }

  #drop(event: AnyEvent): void {
    this.#dropped += 1;
    if (this.#dropped === 1) {
      this.#onError(
        new EventsError({
          code: 'EVENTS_SINK_OVERFLOW',
          message: `Sink queue full (${this.#limit} events); dropping ${this.#policy === 'drop-newest' ? 'new' : 'old'} events for this sink.`,
          details: { sessionId: event.sessionId, seq: event.seq, limit: this.#limit, policy: this.#policy },
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
