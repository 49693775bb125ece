import type { AgentEvent, EventDraft } from '../schema/agent-event.js';
import { CONTRACT_VERSION } from '../schema/envelope-schema.js';
import type { EventType } from '../schema/event-catalog.js';
import { parseEventsOptions } from '../errors/events-error.js';
import {
  sessionSequencerOptionsSchema,
  type SessionSequencerOptions,
} from './session-sequencer-options.js';

/** Where a session's sequence stands: the last stamped `seq` and `ts` (0 when empty). */
export interface SequenceHead {
  seq: number;
  ts: number;
}

/**
 * Stamps `v`, `seq` and `ts` on one session's events. There is exactly one per
 * session, upstream of every sink, so the JSONL index, the log cursor, the SSE
 * `id:` and trace metadata all share one identity. `seq` is contiguous from 1;
 * `ts` is clamped so it never goes backwards, even if the wall clock does.
 */
export class SessionSequencer {
  readonly sessionId: string;
  #seq: number;
  #ts: number;
  readonly #now: () => number;

  /** A sequencer for `options.sessionId`, continuing from `options.head` when given. */
  constructor(options: SessionSequencerOptions);
  /** @deprecated Pass an options object: `new SessionSequencer({ sessionId, head, now })`. */
  constructor(sessionId: string, head?: SequenceHead, now?: () => number);
  constructor(options: SessionSequencerOptions | string, head?: SequenceHead, now?: () => number) {
    const resolved = parseEventsOptions(
      sessionSequencerOptionsSchema,
      typeof options === 'string'
        ? { sessionId: options, ...(head ? { head } : {}), ...(now ? { now } : {}) }
        : options,
    );
    this.sessionId = resolved.sessionId;
    this.#seq = resolved.head.seq;
    this.#ts = resolved.head.ts;
    this.#now = resolved.now ?? Date.now;
  }

  /** The last stamped position. */
  get head(): SequenceHead {
    return { seq: this.#seq, ts: this.#ts };
  }

  /**
   * Stamps the next event. The draft's `sessionId` must be this sequencer's.
   * Only envelope fields are copied: extensions belong in `meta` (stored
   * events with unknown top-level keys still round-trip through logs and files).
   */
  stamp<T extends EventType>(draft: EventDraft<T>): AgentEvent<T> {
    this.#seq += 1;
    this.#ts = Math.max(Math.floor(this.#now()), this.#ts);
    // Envelope keys first, in a fixed order, so serialised events read the same
    // everywhere; absent optional keys are left out, never set to undefined.
    const event: Record<string, unknown> = {
      v: CONTRACT_VERSION,
      type: draft.type,
      seq: this.#seq,
      ts: this.#ts,
      sessionId: draft.sessionId,
    };
    if (draft.runId !== undefined) event.runId = draft.runId;
    if (draft.stepIndex !== undefined) event.stepIndex = draft.stepIndex;
    if (draft.parentRunId !== undefined) event.parentRunId = draft.parentRunId;
    if (draft.traceparent !== undefined) event.traceparent = draft.traceparent;
    event.data = draft.data;
    if (draft.meta !== undefined) event.meta = draft.meta;
    return event as AgentEvent<T>;
  }

  /**
   * Moves the head back to `head`, for events that were stamped but could not
   * be stored: their numbers are reused so the durable sequence has no gap.
   */
  rewind(head: SequenceHead): void {
    if (head.seq > this.#seq) throw new RangeError('rewind cannot move the sequence forward');
    this.#seq = head.seq;
    this.#ts = Math.max(head.ts, 0);
  }
}
