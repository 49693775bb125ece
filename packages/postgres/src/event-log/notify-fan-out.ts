import type { AnyEvent } from '@switchboard/events';
import type { LiveListener, LiveListeners } from '@switchboard/events/internal';
import type { PostgresDatabase } from '../database/postgres-database.js';

/** What {@link NotifyFanOut} needs. */
export interface NotifyFanOutOptions {
  database: PostgresDatabase;
  channel: string;
  /** This instance's live listeners; the fan-out publishes into them. */
  live: LiveListeners;
  read(sessionId: string, afterSeq: number, limit: number): Promise<AnyEvent[]>;
  /** Stored heads of sessions. */
  heads(sessionIds: readonly string[]): Promise<Map<string, number>>;
  intervalMs: number;
}

const PAGE = 500;

/**
 * Turns notifications (`first:last:session`) into events for this
 * instance's live listeners. For each session with listeners it remembers
 * the last seq it delivered; a notification past it reads the missing rows
 * once, for all listeners. Reads run one at a time, so deliveries stay in
 * order. Every `intervalMs`, and after the LISTEN connection comes back, the
 * stored heads of listened sessions are compared with what was delivered, so
 * a lost notification delays events but never loses them.
 */
export class NotifyFanOut {
  readonly #options: NotifyFanOutOptions;
  /** Per listened session: the highest seq delivered to its listeners (undefined: none yet). */
  readonly #delivered = new Map<string, number | undefined>();
  readonly #listeners = new Map<string, number>();
  #queue: Promise<void> = Promise.resolve();
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #unlisten: () => void;
  #closed = false;

  constructor(options: NotifyFanOutOptions) {
    this.#options = options;
    this.#unlisten = options.database.listen(options.channel, {
      notify: (payload) => this.#onNotify(payload),
      reconnected: () => this.#schedule(() => this.#catchUp()),
    });
    this.#timer = setInterval(() => {
      if (this.#listeners.size > 0) this.#schedule(() => this.#catchUp());
    }, options.intervalMs);
    this.#timer.unref();
  }

  /** Registers a live listener of a session; returns the unsubscribe. */
  listen(sessionId: string, listener: LiveListener): () => void {
    this.#listeners.set(sessionId, (this.#listeners.get(sessionId) ?? 0) + 1);
    if (!this.#delivered.has(sessionId)) this.#delivered.set(sessionId, undefined);
    const unlisten = this.#options.live.listen(sessionId, listener);
    return () => {
      unlisten();
      const left = (this.#listeners.get(sessionId) ?? 1) - 1;
      if (left > 0) this.#listeners.set(sessionId, left);
      else {
        this.#listeners.delete(sessionId);
        this.#delivered.delete(sessionId);
      }
    };
  }

  /** Events this instance appended (and is about to publish itself). */
  published(events: readonly AnyEvent[]): void {
    for (const event of events) {
      if (!this.#delivered.has(event.sessionId)) continue;
      const seen = this.#delivered.get(event.sessionId);
      if (seen === undefined || event.seq > seen) this.#delivered.set(event.sessionId, event.seq);
    }
  }

  /** A deleted session starts again at seq 1. */
  forget(sessionId: string): void {
    if (this.#delivered.has(sessionId)) this.#delivered.set(sessionId, 0);
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#unlisten();
  }

  #onNotify(payload: string): void {
    const match = /^(\d+):(\d+):(.*)$/s.exec(payload);
    if (!match) return;
    const [, first, last, sessionId] = match;
    if (!this.#delivered.has(sessionId!)) return;
    this.#schedule(() => this.#deliver(sessionId!, Number(first) - 1, Number(last)));
  }

  /** Reads what listeners of `sessionId` have not had, from `from` (when nothing was delivered yet) to `to`. */
  async #deliver(sessionId: string, from: number, to: number): Promise<void> {
    if (!this.#delivered.has(sessionId)) return;
    let cursor = this.#delivered.get(sessionId) ?? from;
    while (cursor < to && !this.#closed && this.#delivered.has(sessionId)) {
      const page = await this.#options.read(sessionId, cursor, PAGE);
      if (page.length === 0) return;
      cursor = page.at(-1)!.seq;
      const seen = this.#delivered.get(sessionId);
      const fresh = seen === undefined ? page : page.filter((event) => event.seq > seen);
      if (fresh.length > 0 && this.#delivered.has(sessionId)) {
        this.#delivered.set(sessionId, cursor);
        this.#options.live.publish(fresh);
      }
    }
  }

  async #catchUp(): Promise<void> {
    const sessions = [...this.#delivered.keys()];
    if (sessions.length === 0) return;
    const heads = await this.#options.heads(sessions);
    for (const [sessionId, head] of heads) {
      const seen = this.#delivered.get(sessionId);
      // Never delivered anything: a subscriber replays from the log itself, a gap makes it read.
      if (seen !== undefined && head > seen) await this.#deliver(sessionId, seen, head);
      else if (seen === undefined && head > 0) await this.#deliver(sessionId, head - 1, head);
    }
  }

  /** Runs deliveries one at a time; a failure (the database away) waits for the next catch-up. */
  #schedule(work: () => Promise<void>): void {
    this.#queue = this.#queue.then(work).catch(() => {});
  }
}
