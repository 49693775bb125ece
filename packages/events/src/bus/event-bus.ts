import { EventsError, parseEventsOptions } from '../errors/events-error.js';
import { toSwitchboardError } from '../errors/switchboard-error.js';
import type { EventLog } from '../log/event-log.js';
import type { AgentEvent, AnyEvent, EventDraft } from '../schema/agent-event.js';
import { SESSION_SCOPED_TYPES, type EventType } from '../schema/event-catalog.js';
import { SessionSequencer, type SequenceHead } from '../sequencer/session-sequencer.js';
import type { EventSink } from '../sinks/event-sink.js';
import { SessionSinkRegistry } from '../sinks/session-sink-registry.js';
import { eventBusOptionsSchema, type EventBusOptions } from './event-bus-options.js';
import { fitEventSize } from './fit-event-size.js';
import { SinkQueue } from './sink-queue.js';
import { sinkName, storeCode, tooLarge, truncated } from './bus-reports.js';
import { stampWithinLimit, type StampLimit } from './stamp-within-limit.js';

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
  readonly #maxEventBytes: number;
  /** How events are stamped when something stores their JSON, and when nothing does. */
  readonly #serialisedLimit: StampLimit;
  readonly #boundedLimit: StampLimit;
  readonly #closeTimeoutMs: number;
  readonly #sequencers = new Map<string, SessionSequencer>();
  /** Sessions forgotten while some of their events were still waiting for the log. */
  readonly #forgotten = new Set<string>();
  readonly #handlers = new Map<string, Set<Handler>>();
  readonly #queues = new Map<EventSink, SinkQueue>();
  readonly #globalQueues: readonly SinkQueue[];
  #pending: AnyEvent[] = [];
  /** `JSON.stringify` of each pending event (same index), when the bus serialised it. */
  #pendingJson: (string | undefined)[] = [];
  #scheduled = false;
  #delivery: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: EventBusOptions = {}) {
    const resolved = parseEventsOptions(eventBusOptionsSchema, options);
    this.#log = resolved.log;
    this.#sinks = resolved.sinks;
    this.registry = resolved.registry ?? new SessionSinkRegistry();
    this.#queueOptions = { limit: resolved.sinkQueueLimit, policy: resolved.overflow };
    this.#report = resolved.onError ?? (() => {});
    this.#now = resolved.now ?? Date.now;
    this.#maxEventBytes = resolved.maxEventBytes;
    this.#serialisedLimit = { maxBytes: resolved.maxEventBytes, serialise: true };
    this.#boundedLimit = { maxBytes: resolved.maxEventBytes, serialise: false };
    this.#closeTimeoutMs = resolved.closeTimeoutMs;
    this.#globalQueues = this.#sinks.map((sink) => this.#queueFor(sink));
  }

  /**
   * Stamps and publishes one event. Throws only for caller mistakes (a
   * run-scoped event without `runId`, a closed bus), never for a failing
   * sink or store.
   *
   * An event over `maxEventBytes` is truncated (see the option); one that
   * cannot be shrunk, or one whose session head the log cannot tell (a
   * damaged store), is refused: it is reported through `onError` and never
   * stored or delivered, and the returned event carries the `seq` the
   * session's next event will take.
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
    const sequencer = this.#sequencer(draft.sessionId);
    if (!sequencer) {
      const fit = fitEventSize(draft, this.#maxEventBytes);
      if (fit.kind === 'too-large') this.#report(tooLarge(draft, fit.bytes, this.#maxEventBytes));
      // Stamped by a copy, so the number is not used up: the next event takes it.
      return new SessionSequencer({ sessionId: draft.sessionId, now: this.#now }).stamp(draft);
    }
    const stamped = stampWithinLimit(
      draft,
      sequencer,
      this.#serialises(draft.sessionId) ? this.#serialisedLimit : this.#boundedLimit,
    );
    if (stamped.kind === 'too-large') {
      this.#report(tooLarge(draft, stamped.bytes, this.#maxEventBytes));
      return new SessionSequencer({
        sessionId: draft.sessionId,
        head: sequencer.head,
        now: this.#now,
      }).stamp(draft);
    }
    if (stamped.truncated) this.#report(truncated(draft, stamped.truncated, this.#maxEventBytes));
    this.#pending.push(stamped.event);
    this.#pendingJson.push(stamped.json);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#delivery = this.#delivery.then(() => this.#deliver());
      });
    }
    return stamped.event;
  }

  /**
   * Whether the session's events go anywhere that may store them as JSON (a
   * log, a sink): then the bus serialises each event once, when it stamps it,
   * and hands the text along, so the size bound is exact and costs nothing
   * extra. With subscribers only, nothing is serialised.
   */
  #serialises(sessionId: string): boolean {
    return (
      this.#log !== undefined ||
      this.#globalQueues.length > 0 ||
      this.registry.sinksFor(sessionId).length > 0
    );
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
    this.#forgotten.delete(sessionId);
    this.#sequencers.set(sessionId, new SessionSequencer({ sessionId, head, now: this.#now }));
  }

  /**
   * The durable log this bus appends to, if any. Agents read a crashed run's
   * last events from it and leave a session's numbering to it.
   */
  get log(): EventLog | undefined {
    return this.#log;
  }

  /**
   * Forgets a finished session: its sequencer and the delivery queues of its
   * registered sinks (once they are idle), so a long-lived bus does not grow
   * with every session it has seen. Events already emitted are still stored
   * and delivered; the log, the registry and the sinks themselves are
   * untouched. A later emit for the session continues from the log's head
   * (from 1 without a log, unless `restoreSession` says otherwise).
   */
  forgetSession(sessionId: string): void {
    if (this.#pending.some((event) => event.sessionId === sessionId)) {
      // Its stamped events are not stored yet: a new sequencer would read a stale head.
      this.#forgotten.add(sessionId);
    } else {
      this.#sequencers.delete(sessionId);
    }
    for (const sink of this.registry.sinksFor(sessionId)) {
      const queue = this.#queues.get(sink);
      if (!queue || this.#globalQueues.includes(queue)) continue;
      void queue.idle().then(() => {
        if (!queue.busy && this.#queues.get(sink) === queue) {
          queue.reportPending();
          this.#queues.delete(sink);
        }
      });
    }
  }

  /**
   * Deletes a session's stored events from the log (retention) and forgets
   * it (see {@link forgetSession}). Waits for events already emitted to be
   * stored first, so none of them reappear after the delete. Resolves to the
   * number of events deleted (0 without a log). Call it once the session is
   * over: events emitted for it afterwards start again at `seq` 1.
   */
  async deleteSession(sessionId: string): Promise<number> {
    await this.#stored();
    this.forgetSession(sessionId);
    this.#forgotten.delete(sessionId);
    this.#sequencers.delete(sessionId);
    return this.#log ? await this.#log.deleteSession(sessionId) : 0;
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
    const waitingOn = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#closeTimeoutMs);
    });
    const outcome = await Promise.race([this.#flushAll(waitingOn), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      const stuck = [...waitingOn];
      this.#report(
        new EventsError({
          code: 'EVENTS_FLUSH_TIMEOUT',
          message: `flush() gave up after ${this.#closeTimeoutMs} ms waiting for ${stuck.join(', ')}; a write or flush that never settles is stuck there (raise closeTimeoutMs if it is only slow).`,
          details: { stuck, timeoutMs: this.#closeTimeoutMs },
        }),
      );
    }
    for (const queue of this.#queues.values()) queue.reportPending();
  }

  /** `await using` support: the same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Flushes, then refuses further emits. Like `flush`, it resolves within
   * `closeTimeoutMs` even if a sink never settles. Sinks and the log stay
   * open (their owner closes them).
   */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
  }

  /** Everything `flush` waits for, naming in `waitingOn` what it is waiting for right now. */
  async #flushAll(waitingOn: Set<string>): Promise<'done'> {
    waitingOn.add('the event log');
    await this.#stored();
    waitingOn.delete('the event log');
    const queues = [...this.#queues.values()];
    await Promise.all(
      queues.map(async (queue) => {
        waitingOn.add(queue.label);
        await queue.idle();
        try {
          await queue.sink.flush?.();
        } catch (error) {
          this.#report(this.#sinkError(error, `flush of sink ${queue.label}`));
        }
        waitingOn.delete(queue.label);
      }),
    );
    return 'done';
  }

  /** Resolves once every event emitted so far went through the log (stored or refused). */
  async #stored(): Promise<void> {
    while (this.#scheduled) {
      await this.#delivery;
      await Promise.resolve(); // let a scheduled microtask chain its delivery
    }
    await this.#delivery;
  }

  /**
   * The session's sequencer, created from the log's head on first use, or
   * undefined when the log cannot tell the head (the failure is reported):
   * stamping would guess a number, so the event is not stored.
   */
  #sequencer(sessionId: string): SessionSequencer | undefined {
    // Emitting again un-forgets a session whose forgetting waited for the log.
    if (this.#forgotten.size > 0) this.#forgotten.delete(sessionId);
    let sequencer = this.#sequencers.get(sessionId);
    if (sequencer) return sequencer;
    let head: SequenceHead | Promise<SequenceHead>;
    try {
      head = this.#log?.head(sessionId) ?? { seq: 0, ts: 0 };
    } catch (error) {
      const cause = toSwitchboardError(error, 'EVENTS_LOG_READ_FAILED');
      this.#report(
        new EventsError({
          code: storeCode(cause.code, 'EVENTS_LOG_READ_FAILED'),
          message: `The event log cannot tell where session ${sessionId} stands, so the event was not stored: ${cause.message}`,
          retryable: cause.retryable,
          details: { ...cause.details, sessionId },
          cause: error,
        }),
      );
      return undefined;
    }
    if (head instanceof Promise) {
      throw new EventsError({
        code: 'EVENTS_INVALID_OPTIONS',
        message: `The log answers head() asynchronously; call bus.restoreSession('${sessionId}', await log.head('${sessionId}')) before emitting.`,
      });
    }
    sequencer = new SessionSequencer({ sessionId, head, now: this.#now });
    this.#sequencers.set(sessionId, sequencer);
    return sequencer;
  }

  async #deliver(): Promise<void> {
    const batch = this.#pending;
    const json = this.#pendingJson;
    this.#pending = [];
    this.#pendingJson = [];
    this.#scheduled = false;
    if (batch.length === 0) return;
    if (this.#log) {
      try {
        await this.#log.append(batch, json);
      } catch (error) {
        await this.#unstore(batch, error);
        return;
      }
    }
    for (let index = 0; index < batch.length; index++) this.#publish(batch[index]!, json[index]);
    this.#releaseForgotten();
  }

  /** Drops the sequencers of forgotten sessions whose last events are now stored. */
  #releaseForgotten(): void {
    for (const sessionId of this.#forgotten) {
      if (this.#pending.some((event) => event.sessionId === sessionId)) continue;
      this.#forgotten.delete(sessionId);
      this.#sequencers.delete(sessionId);
    }
  }

  /**
   * The log refused a batch: those events were never stored nor published.
   * Each affected session continues from the log's head as it is now: after
   * a conflict another writer moved it, so rewinding to our own numbers would
   * make every later batch conflict too. Events of those sessions emitted
   * since carry numbers past the refused ones and are discarded as well. The
   * caller learns of it through onError (`EVENTS_SEQ_CONFLICT` for a lost
   * race, `EVENTS_STORE_CORRUPT` for a damaged store, else
   * `EVENTS_LOG_APPEND_FAILED`).
   */
  async #unstore(batch: readonly AnyEvent[], error: unknown): Promise<void> {
    const firstBySession = new Map<string, AnyEvent>();
    for (const event of batch)
      if (!firstBySession.has(event.sessionId)) firstBySession.set(event.sessionId, event);
    const sessions = [...firstBySession.keys()];
    const read = this.#readHeads(sessions);
    const heads = Array.isArray(read) ? read : await read; // `await` alone would yield even for an array
    const affected = new Set(sessions);
    const kept = this.#pending.flatMap((event, index) =>
      affected.has(event.sessionId) ? [] : [index],
    );
    const discardedLater = this.#pending.length - kept.length;
    this.#pendingJson = kept.map((index) => this.#pendingJson[index]);
    this.#pending = kept.map((index) => this.#pending[index]!);
    const resumedAt: Record<string, number> = {};
    sessions.forEach((sessionId, index) => {
      const first = firstBySession.get(sessionId)!;
      const head = heads[index] ?? { seq: first.seq - 1, ts: first.ts };
      resumedAt[sessionId] = head.seq;
      this.#sequencers.set(sessionId, new SessionSequencer({ sessionId, head, now: this.#now }));
    });
    const cause = toSwitchboardError(error, 'EVENTS_LOG_APPEND_FAILED');
    const count = batch.length + discardedLater;
    const conflict = cause.code === 'EVENTS_SEQ_CONFLICT';
    this.#report(
      new EventsError({
        code: storeCode(cause.code, 'EVENTS_LOG_APPEND_FAILED'),
        message: conflict
          ? `Another writer stored events of session(s) ${sessions.join(', ')} first; ${count} event(s) were not stored or published. The bus continues from the log's head (${sessions.map((id) => `${id}: ${resumedAt[id]}`).join(', ')}).`
          : `The event log refused ${count} event(s); they were not published: ${cause.message}`,
        retryable: cause.retryable,
        details: {
          ...(conflict ? {} : cause.details),
          sessions,
          count,
          heads: resumedAt,
          cause: cause.code,
        },
        cause: error,
      }),
    );
  }

  /**
   * The log's heads of `sessions` (undefined where the log cannot answer).
   * A synchronous log is answered without awaiting, so no emit can slip in
   * between the refusal and the resync.
   */
  #readHeads(
    sessions: readonly string[],
  ): (SequenceHead | undefined)[] | Promise<(SequenceHead | undefined)[]> {
    const heads: (SequenceHead | undefined)[] = [];
    const pending: Promise<void>[] = [];
    sessions.forEach((sessionId, index) => {
      try {
        const head = this.#log!.head(sessionId);
        if (head instanceof Promise) {
          pending.push(
            head.then(
              (value) => void (heads[index] = value),
              () => {},
            ),
          );
        } else heads[index] = head;
      } catch {
        heads[index] = undefined;
      }
    });
    return pending.length === 0 ? heads : Promise.all(pending).then(() => heads);
  }

  #publish(event: AnyEvent, json: string | undefined): void {
    if (this.#handlers.size > 0) {
      this.#callHandlers(this.#handlers.get(event.type), event);
      this.#callHandlers(this.#handlers.get('*'), event);
    }
    for (const queue of this.#globalQueues) queue.push(event, json);
    const sessionSinks = this.registry.sinksFor(event.sessionId);
    for (let index = 0; index < sessionSinks.length; index++)
      this.#queueFor(sessionSinks[index]!, event.sessionId).push(event, json);
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

  /** The queue of a sink, created on first use; `sessionId` for a sink of the registry. */
  #queueFor(sink: EventSink, sessionId?: string): SinkQueue {
    let queue = this.#queues.get(sink);
    if (!queue) {
      queue = new SinkQueue(sink, {
        ...this.#queueOptions,
        onError: this.#report,
        now: this.#now,
        label:
          sessionId === undefined
            ? `sinks[${this.#sinks.indexOf(sink)}]${sinkName(sink)}`
            : `of session ${sessionId}${sinkName(sink)}`,
      });
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
