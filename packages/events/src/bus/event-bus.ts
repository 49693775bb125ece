import { EventsError } from '../errors/events-error.js';
import { parseOptions } from '../errors/parse-options.js';
import { toSwitchboardError } from '../errors/switchboard-error.js';
import type { EventLog } from '../log/event-log.js';
import type { AgentEvent, AnyEvent, EventDraft } from '../schema/agent-event.js';
import { SESSION_SCOPED_TYPES, type EventType } from '../schema/event-catalog.js';
import { SessionSequencer, type SequenceHead } from '../sequencer/session-sequencer.js';
import type { EventSink } from '../sinks/event-sink.js';
import { SessionSinkRegistry } from '../sinks/session-sink-registry.js';
import { eventBusOptionsSchema, type EventBusOptions } from './event-bus-options.js';
import { SinkQueue } from './sink-queue.js';

type Handler = (event: AnyEvent) => void;

/**
 * The one place events are stamped and published. `emit` stamps `v`, `seq`
 * and `ts` synchronously and returns the event; delivery happens right after,
 * in emit order: first the durable log (one transaction per microtask batch),
 * then typed subscribers, then sinks through bounded per-sink queues. Nothing
 * a subscriber, sink or log does can throw into `emit` or make it wait;
 * failures go to `onError`.
 *
 * ```ts
 * const bus = new EventBus({ log: new MemoryEventLog() });
 * bus.on('message.delta', (e) => process.stdout.write(e.data.delta));
 * bus.emit({ type: 'message.delta', sessionId, runId, data: { messageId, delta: 'Hi' } });
 * await bus.flush();
 * ```
 */
export class EventBus {
  /** Per-session sink routing; register a session's JSONL file here. */
  readonly registry: SessionSinkRegistry;
  readonly #log: EventLog | undefined;
  readonly #sinks: readonly EventSink[];
  readonly #queueOptions: {
    limit: number;
    policy: 'drop-newest' | 'drop-oldest';
  };
  readonly #report: (error: EventsError) => void;
  readonly #now: () => number;
  readonly #sequencers = new Map<string, SessionSequencer>();
  readonly #handlers = new Map<string, Set<Handler>>();
  readonly #queues = new Map<EventSink, SinkQueue>();
  readonly #globalQueues: readonly SinkQueue[];
  #pending: AnyEvent[] = [];
  #scheduled = false;
  #delivery: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: EventBusOptions = {}) {
    const resolved = parseOptions(eventBusOptionsSchema, options, 'EVENTS_INVALID_OPTIONS');
    this.#log = resolved.log;
    this.#sinks = resolved.sinks;
    this.registry = resolved.registry ?? new SessionSinkRegistry();
    this.#queueOptions = { limit: resolved.sinkQueueLimit, policy: resolved.overflow };
    this.#report = resolved.onError ?? (() => {});
    this.#now = resolved.now ?? Date.now;
    this.#globalQueues = this.#sinks.map((sink) => this.#queueFor(sink));
  }

  /**
   * Stamps and publishes one event. Throws only for caller mistakes (a
   * run-scoped event without `runId`, a closed bus), never for a failing sink.
   */
  emit<T extends EventType>(draft: EventDraft<T>): AgentEvent<T> {
    if (this.#closed)
      throw new EventsError({ code: 'EVENTS_CLOSED', message: 'The bus is closed.' });
    if (draft.runId === undefined && !SESSION_SCOPED_TYPES.has(draft.type)) {
      throw new EventsError({
        code: 'EVENTS_INVALID_EVENT',
        message: `Event '${draft.type}' is run-scoped and needs a runId.`,
        details: { type: draft.type },
      });
    }
    const event = this.#sequencer(draft.sessionId).stamp(draft);
    this.#pending.push(event);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#delivery = this.#delivery.then(() => this.#deliver());
      });
    }
    return event;
  }

  /** Calls `handler` for every event of `type` (or every event with `'*'`), after it is stored. */
  on<T extends EventType>(type: T, handler: (event: AgentEvent<T>) => void): () => void;
  on(type: '*', handler: (event: AnyEvent) => void): () => void;
  on(type: string, handler: Handler): () => void {
    let set = this.#handlers.get(type);
    if (!set) this.#handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /**
   * Continues a session's sequence from `head` (e.g. the last `seq` of its
   * JSONL file). Needed only without a log, or with a log whose `head` is
   * asynchronous; must happen before the session's first emit.
   */
  restoreSession(sessionId: string, head: SequenceHead): void {
    this.#sequencers.set(sessionId, new SessionSequencer(sessionId, head, this.#now));
  }

  /** Forgets a finished session's sequencer (its log and sinks are untouched). */
  forgetSession(sessionId: string): void {
    this.#sequencers.delete(sessionId);
  }

  /** The last stamped position of a session, or undefined if this bus has not seen it. */
  head(sessionId: string): SequenceHead | undefined {
    return this.#sequencers.get(sessionId)?.head;
  }

  /**
   * Resolves when every event emitted so far is stored, delivered to
   * subscribers and handed to every sink, and each sink's own `flush` ran.
   */
  async flush(): Promise<void> {
    while (this.#scheduled) {
      await this.#delivery;
      await Promise.resolve(); // let a scheduled microtask chain its delivery
    }
    await this.#delivery;
    const queues = [...this.#queues.values()];
    await Promise.all(queues.map((queue) => queue.idle()));
    await Promise.all(
      queues.map(async (queue) => {
        try {
          await queue.sink.flush?.();
        } catch (error) {
          this.#report(this.#sinkError(error, 'flush'));
        }
      }),
    );
  }

  /** Flushes, then refuses further emits. Sinks and the log stay open (their owner closes them). */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
  }

  #sequencer(sessionId: string): SessionSequencer {
    let sequencer = this.#sequencers.get(sessionId);
    if (sequencer) return sequencer;
    const head = this.#log?.head(sessionId) ?? { seq: 0, ts: 0 };
    if (head instanceof Promise) {
      throw new EventsError({
        code: 'EVENTS_INVALID_OPTIONS',
        message: `The log answers head() asynchronously; call bus.restoreSession('${sessionId}', await log.head('${sessionId}')) before emitting.`,
      });
    }
    sequencer = new SessionSequencer(sessionId, head, this.#now);
    this.#sequencers.set(sessionId, sequencer);
    return sequencer;
  }

  async #deliver(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    this.#scheduled = false;
    if (batch.length === 0) return;
    if (this.#log) {
      try {
        await this.#log.append(batch);
      } catch (error) {
        this.#unstore(batch, error);
        return;
      }
    }
    for (const event of batch) this.#publish(event);
  }

  /**
   * The log refused a batch: those events were never stored nor published.
   * Rewind each affected session to before the batch and discard its events
   * emitted since (they carry numbers after the gap), so the durable sequence
   * stays contiguous. The caller learns of it through onError.
   */
  #unstore(batch: readonly AnyEvent[], error: unknown): void {
    const firstBySession = new Map<string, AnyEvent>();
    for (const event of batch)
      if (!firstBySession.has(event.sessionId)) firstBySession.set(event.sessionId, event);
    const affected = new Set(firstBySession.keys());
    const discardedLater = this.#pending.filter((event) => affected.has(event.sessionId)).length;
    this.#pending = this.#pending.filter((event) => !affected.has(event.sessionId));
    for (const [sessionId, first] of firstBySession) {
      const head = this.#log?.head(sessionId);
      const ts = head && !(head instanceof Promise) ? head.ts : first.ts;
      this.#sequencers.get(sessionId)?.rewind({ seq: first.seq - 1, ts });
    }
    const cause = toSwitchboardError(error, 'EVENTS_LOG_APPEND_FAILED');
    this.#report(
      new EventsError({
        code: 'EVENTS_LOG_APPEND_FAILED',
        message: `The event log refused ${batch.length + discardedLater} event(s); they were not published: ${cause.message}`,
        details: {
          sessions: [...affected],
          count: batch.length + discardedLater,
          cause: cause.code,
        },
        cause: error,
      }),
    );
  }

  #publish(event: AnyEvent): void {
    this.#callHandlers(this.#handlers.get(event.type), event);
    this.#callHandlers(this.#handlers.get('*'), event);
    for (const queue of this.#globalQueues) queue.push(event);
    const sessionSinks = this.registry.sinksFor(event.sessionId);
    for (let index = 0; index < sessionSinks.length; index++)
      this.#queueFor(sessionSinks[index]!).push(event);
  }

  #callHandlers(handlers: Set<Handler> | undefined, event: AnyEvent): void {
    if (!handlers) return;
    for (const handler of handlers) {
      try {
        handler(event);
      } catch (error) {
        this.#report(this.#sinkError(error, `subscriber of ${event.type} (seq ${event.seq})`));
      }
    }
  }

  #queueFor(sink: EventSink): SinkQueue {
    let queue = this.#queues.get(sink);
    if (!queue) {
      queue = new SinkQueue(sink, { ...this.#queueOptions, onError: this.#report });
      this.#queues.set(sink, queue);
    }
    return queue;
  }

  #sinkError(error: unknown, where: string): EventsError {
    return new EventsError({
      code: 'EVENTS_SINK_FAILED',
      message: `A ${where} failed: ${(error as Error)?.message ?? String(error)}`,
      cause: error,
    });
  }
}
