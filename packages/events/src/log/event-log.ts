import type { AnyEvent } from '../schema/agent-event.js';
import type { SequenceHead } from '../sequencer/session-sequencer.js';

/** Options of {@link EventLog.subscribe}. */
export interface SubscribeOptions {
  /** Deliver events with `seq` greater than this (0 = from the start). @default 0 */
  afterSeq?: number;
  /** Ends the iteration (without an error) when aborted. */
  signal?: AbortSignal;
}

/**
 * Durable, per-session, append-only storage of stamped events, and the source
 * of truth for replay. Appends are atomic per call and checked for
 * contiguity: an event whose `seq` is not the session's next number is
 * rejected with `EVENTS_SEQ_CONFLICT`, so a log never holds gaps or
 * duplicates. Live subscribers see an event only after it is stored.
 *
 * Methods may answer synchronously (memory, SQLite) or with a promise.
 */
export interface EventLog {
  /**
   * Stores stamped events (any mix of sessions) in one transaction. `json`,
   * when given, holds `JSON.stringify(events[i])` at index `i` (undefined
   * where the caller has none), so a log that stores text need not serialise
   * again; the bus passes the JSON it made when it stamped the events.
   */
  append(events: readonly AnyEvent[], json?: readonly (string | undefined)[]): void | Promise<void>;
  /** Up to `limit` events of a session with `seq > afterSeq`, in order. */
  read(sessionId: string, afterSeq?: number, limit?: number): AnyEvent[] | Promise<AnyEvent[]>;
  /** The last stored `seq` and `ts` of a session (`{seq: 0, ts: 0}` when empty). */
  head(sessionId: string): SequenceHead | Promise<SequenceHead>;
  /**
   * Replays stored events after `afterSeq`, then continues with live ones,
   * without gaps or duplicates, until `signal` aborts or the log closes.
   */
  subscribe(sessionId: string, options?: SubscribeOptions): AsyncIterable<AnyEvent>;
  /**
   * Deletes every stored event of a session (retention) and returns how many
   * it deleted. Live subscribers of the session are not ended; a later
   * append for it starts again at `seq` 1. Delete through
   * `EventBus.deleteSession` when a bus writes the session, so the bus forgets
   * its numbering too.
   */
  deleteSession(sessionId: string): number | Promise<number>;
  /** Stops live subscriptions and releases resources. */
  close(): void | Promise<void>;
}

/** Default page size of log reads. */
export const DEFAULT_READ_LIMIT = 1000;
