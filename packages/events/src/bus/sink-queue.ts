import { EventsError } from '../errors/events-error.js';
import { SwitchboardError } from '../errors/switchboard-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import type { EventSink } from '../sinks/event-sink.js';
import type { SinkErrorHandler } from '../sinks/multi-sink.js';

/** What happens when a sink's queue is full. */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest';

/** How often (ms) one sink may report repeated failures or drops; the rest are counted. */
export const SINK_REPORT_INTERVAL_MS = 1000;

/** Options of a {@link SinkQueue}. */
export interface SinkQueueOptions {
  limit: number;
  policy: OverflowPolicy;
  onError: SinkErrorHandler;
  /** Names the sink in reports (`sinks[0] (JsonlSink)`, `session s1 sink`). */
  label: string;
  /** Clock in epoch ms, for the report interval. */
  now: () => number;
}

/**
 * A bounded, ordered delivery queue in front of one sink. Pushing never
 * waits: an idle sink gets the event at once; while the sink's promise is
 * pending, later events queue and are handed over one by one in order. When
 * the sink falls `limit` events behind, events are dropped for that sink
 * only, by `policy`, and reported as `EVENTS_SINK_OVERFLOW`.
 *
 * Reports are rate-limited per sink so a broken sink cannot flood `onError`:
 * the first failure and the first drop are reported at once, later ones at
 * most once per {@link SINK_REPORT_INTERVAL_MS} with the count since the last
 * report; {@link reportPending} hands over what is still counted.
 */
export class SinkQueue {
  readonly sink: EventSink;
  readonly label: string;
  readonly #limit: number;
  readonly #policy: OverflowPolicy;
  readonly #onError: SinkErrorHandler;
  readonly #now: () => number;
  #items: AnyEvent[] = [];
  /** The bus's JSON of each queued event (same index), handed to the sink with it. */
  #json: (string | undefined)[] = [];
  #head = 0;
  #draining: Promise<void> | undefined;
  /** Drops not yet reported, and drops of the current overflow episode. */
  #droppedUnreported = 0;
  #droppedInEpisode = 0;
  #lastDropReportAt = -Infinity;
  #failuresSuppressed = 0;
  #lastFailureReportAt = -Infinity;
  #lastFailure: EventsError | undefined;

  constructor(sink: EventSink, options: SinkQueueOptions) {
    this.sink = sink;
    this.label = options.label;
    this.#limit = options.limit;
    this.#policy = options.policy;
    this.#onError = options.onError;
    this.#now = options.now;
  }

  /** Events waiting for the sink. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Events held in memory, including handed-over ones not yet compacted away (bounded by about twice `limit`). */
  get retained(): number {
    return this.#items.length;
  }

  /** True while a write of the sink is pending. */
  get busy(): boolean {
    return this.#draining !== undefined;
  }

  /** Hands `event` (with its JSON, when the bus made it) to the sink now, or queues it. */
  push(event: AnyEvent, json?: string): void {
    // A sink that is not busy gets the event at once: synchronous sinks never
    // queue, and the limit only bounds the backlog behind a slow async write.
    if (!this.#draining) {
      const pending = this.#write(event, json);
      if (pending) this.#draining = this.#drain(pending);
      return;
    }
    if (this.length >= this.#limit) {
      this.#drop(event);
      if (this.#policy === 'drop-newest') return;
      this.#head += 1;
      // Compact here too: with a write that never resolves, #drain never runs
      // again, and drop-oldest would otherwise keep every event ever pushed.
      this.#compact();
    }
    this.#items.push(event);
    this.#json.push(json);
  }

  /** Resolves once every queued event has been handed to the sink. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /** Reports failures and drops still counted but not reported (e.g. at flush). */
  reportPending(): void {
    if (this.#failuresSuppressed > 0) this.#reportFailure(undefined);
    if (this.#droppedUnreported > 0) this.#reportDrops(undefined);
  }

  /** Hands one event to the sink; returns its promise if it went asynchronous. */
  #write(event: AnyEvent, json: string | undefined): Promise<void> | undefined {
    try {
      const result = this.sink.write(event, json);
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
        const json = this.#json[this.#head];
        this.#head += 1;
        this.#compact();
        const pending = this.#write(event, json);
        if (pending) await pending;
      }
    } finally {
      this.#items = [];
      this.#json = [];
      this.#head = 0;
      this.#draining = undefined;
      if (this.#droppedInEpisode > 0) {
        this.#reportDrops(`Sink ${this.label} caught up after dropping`);
        this.#droppedInEpisode = 0;
      }
    }
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#json = this.#json.slice(this.#head);
      this.#head = 0;
    }
  }

  #fail(error: unknown, event: AnyEvent): void {
    // A sink's own coded error (EVENTS_EVENT_TOO_LARGE, …) is more useful than a wrapper.
    const coded = SwitchboardError.isInstance(error)
      ? (error as EventsError)
      : new EventsError({
          code: 'EVENTS_SINK_FAILED',
          message: `Sink ${this.label} failed on seq ${event.seq} (${event.type}): ${(error as Error)?.message ?? String(error)}`,
          details: {
            sink: this.label,
            sessionId: event.sessionId,
            seq: event.seq,
            type: event.type,
          },
          cause: error,
        });
    if (this.#now() - this.#lastFailureReportAt < SINK_REPORT_INTERVAL_MS) {
      this.#failuresSuppressed += 1;
      this.#lastFailure = coded;
      return;
    }
    this.#reportFailure(coded);
  }

  /** Reports `error` (or the last suppressed one) with the count suppressed since the last report. */
  #reportFailure(error: EventsError | undefined): void {
    const suppressed = this.#failuresSuppressed;
    const reported = error ?? this.#lastFailure!;
    this.#failuresSuppressed = 0;
    this.#lastFailure = undefined;
    this.#lastFailureReportAt = this.#now();
    if (suppressed === 0) {
      this.#onError(reported);
      return;
    }
    this.#onError(
      new EventsError({
        code: reported.code,
        message: `${reported.message} (${suppressed} more failure(s) of sink ${this.label} since the last report)`,
        retryable: reported.retryable,
        details: { ...reported.details, sink: this.label, suppressed },
        cause: reported,
      }),
    );
  }

  #drop(event: AnyEvent): void {
    this.#droppedUnreported += 1;
    this.#droppedInEpisode += 1;
    if (this.#now() - this.#lastDropReportAt < SINK_REPORT_INTERVAL_MS) return;
    this.#reportDrops(
      `Sink ${this.label} queue full (${this.#limit} events); dropping ${this.#policy === 'drop-newest' ? 'new' : 'old'} events for this sink`,
      event,
    );
  }

  /** One `EVENTS_SINK_OVERFLOW` with the drops since the last report and in this episode. */
  #reportDrops(what: string | undefined, event?: AnyEvent): void {
    const dropped = this.#droppedUnreported;
    if (dropped === 0) return;
    this.#droppedUnreported = 0;
    this.#lastDropReportAt = this.#now();
    this.#onError(
      new EventsError({
        code: 'EVENTS_SINK_OVERFLOW',
        message: `${what ?? `Sink ${this.label} is still behind`}: ${dropped} event(s) dropped since the last report, ${this.#droppedInEpisode} in this overflow.`,
        details: {
          sink: this.label,
          dropped: this.#droppedInEpisode,
          droppedSinceLastReport: dropped,
          limit: this.#limit,
          policy: this.#policy,
          ...(event ? { sessionId: event.sessionId, seq: event.seq } : {}),
        },
      }),
    );
  }
}
