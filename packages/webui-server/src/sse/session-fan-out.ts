import { encodeSseEvent, type AnyEvent, type EventLog } from '@switchboard/events';

/** A watcher of a {@link SessionFanOut}: one client connection. */
export interface FanOutMember {
  /** The highest seq this member has written to its client. */
  readonly lastSeq: number;
  /**
   * Writes one live event's frame. `frame` is the same Buffer for every
   * member (encoded once); `now` is when the fan-out wrote it. A member that
   * cannot take it (its client reads too slowly, or it sees a gap) calls
   * {@link SessionFanOut.detach} and catches up from the log on its own.
   */
  deliver(seq: number, frame: Uint8Array, now: number): void;
  /** The fan-out's log subscription ended: cleanly (the log closed) or with `error`. */
  hubEnded(error?: unknown): void;
}

/** Options of {@link SessionFanOut}. */
export interface SessionFanOutInit {
  log: EventLog;
  sessionId: string;
  /** Called once, when the last member has left or the subscription ended. */
  onIdle: () => void;
}

/**
 * The live fan-out of one session's events to every watcher in this process:
 * one subscription to the event log, and each event encoded as an SSE frame
 * once, the same bytes then written to every live member. A member that is
 * behind (it just connected with an older cursor, or its client stopped
 * reading) is attached but not live: it reads the log itself and joins once
 * it has caught up, so nothing is queued here for anyone and a slow client
 * costs only its own socket buffer.
 *
 * The subscription starts after the log's head when the fan-out is made and
 * ends when its last member leaves.
 */
export class SessionFanOut {
  readonly sessionId: string;
  /** Resolves once the subscription's starting point (the log's head) is known. */
  readonly ready: Promise<void>;
  readonly #log: EventLog;
  readonly #onIdle: () => void;
  readonly #members = new Set<FanOutMember>();
  readonly #live = new Set<FanOutMember>();
  readonly #stop = new AbortController();
  #lastSeq = 0;
  #ended = false;

  constructor({ log, sessionId, onIdle }: SessionFanOutInit) {
    this.sessionId = sessionId;
    this.#log = log;
    this.#onIdle = onIdle;
    this.ready = this.#start();
    // A failed start ends every member; `ready` is also awaited by them.
    this.ready.catch((error: unknown) => this.#end(error));
  }

  /** The seq of the last event the fan-out has seen (the log's head when it started). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Members attached (live or catching up). */
  get size(): number {
    return this.#members.size;
  }

  /** Members written to on every event. */
  get liveCount(): number {
    return this.#live.size;
  }

  /** Whether the log subscription is still open. */
  get active(): boolean {
    return !this.#ended;
  }

  /** Attaches a member; it is not live until it {@link join}s. */
  add(member: FanOutMember): void {
    // Told later, not from inside the caller's own attach.
    if (this.#ended) queueMicrotask(() => member.hubEnded());
    else this.#members.add(member);
  }

  /**
   * Makes an attached member live: it is written every event from now on.
   * It should have caught up to {@link lastSeq}; it skips what it already wrote.
   */
  join(member: FanOutMember): void {
    if (this.#ended) return member.hubEnded();
    if (this.#members.has(member)) this.#live.add(member);
  }

  /** Stops writing to a member (it catches up from the log, then joins again). */
  detach(member: FanOutMember): void {
    this.#live.delete(member);
  }

  /** Removes a member for good; the last one to leave ends the subscription. */
  leave(member: FanOutMember): void {
    this.#live.delete(member);
    if (!this.#members.delete(member) || this.#members.size > 0) return;
    this.#finish();
  }

  async #start(): Promise<void> {
    const head = await this.#log.head(this.sessionId);
    if (this.#ended) return;
    this.#lastSeq = head.seq;
    void this.#pump(head.seq);
  }

  async #pump(afterSeq: number): Promise<void> {
    try {
      const events = this.#log.subscribe(this.sessionId, { afterSeq, signal: this.#stop.signal });
      for await (const event of events) this.#broadcast(event);
    } catch (error) {
      this.#end(error);
      return;
    }
    // The log closed under its watchers: their streams end as they would with no fan-out.
    this.#end();
  }

  #broadcast(event: AnyEvent): void {
    this.#lastSeq = event.seq;
    if (this.#live.size === 0) return;
    const frame = Buffer.from(encodeSseEvent(event));
    const now = Date.now();
    // A member may detach itself while being written to; deleting from a Set being iterated is safe.
    for (const member of this.#live) member.deliver(event.seq, frame, now);
  }

  /** The subscription ended on its own: every member is told. */
  #end(error?: unknown): void {
    if (this.#ended) return;
    const members = [...this.#members];
    this.#finish();
    for (const member of members) member.hubEnded(error);
  }

  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#members.clear();
    this.#live.clear();
    this.#stop.abort();
    this.#onIdle();
  }
}
