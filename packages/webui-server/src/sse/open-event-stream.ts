/**
 * One event stream being written to a client: its session, the last seq
 * it has written, and when its connection is done. Shutdown uses it to let
 * every watcher receive what the log holds (the runs' terminal events) before
 * the streams are ended, so nobody needs a reconnect to learn how a run ended.
 */
export class OpenEventStream {
  readonly sessionId: string;
  /** Settles when the response's connection is closed. */
  readonly done: Promise<void>;
  #lastSeq: number;
  readonly #ended = new AbortController();
  #farewell: string | undefined;
  #waiters: Array<{ seq: number; resolve: () => void }> = [];

  constructor(init: { sessionId: string; afterSeq: number; done: Promise<void> }) {
    this.sessionId = init.sessionId;
    this.#lastSeq = init.afterSeq;
    this.done = init.done;
    void init.done.then(() => this.advance(Number.POSITIVE_INFINITY));
  }

  /** The highest seq written to the client so far. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Aborted by {@link end}: the stream's source stops and its body closes cleanly. */
  get signal(): AbortSignal {
    return this.#ended.signal;
  }

  /** The comment {@link end} was given: the stream's last frame. */
  get farewell(): string | undefined {
    return this.#farewell;
  }

  /**
   * Ends this stream for a reason of its own (its session was deleted): the
   * source stops, `comment` is written as the last frame (an SSE comment, so
   * parsers ignore it while a person reading the wire sees why), and the
   * response ends.
   */
  end(comment: string): void {
    if (this.#ended.signal.aborted) return;
    this.#farewell = comment;
    this.#ended.abort();
  }

  /** Notes that the event `seq` has been written to the client. */
  advance(seq: number): void {
    if (seq > this.#lastSeq) this.#lastSeq = seq;
    // Called for every event of every watcher: nothing to allocate when nobody waits.
    if (this.#waiters.length === 0) return;
    const ready = this.#waiters.filter((waiter) => waiter.seq <= this.#lastSeq);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => waiter.seq > this.#lastSeq);
    for (const waiter of ready) waiter.resolve();
  }

  /** Resolves once the stream has written `seq`, or its connection is gone. */
  reached(seq: number): Promise<void> {
    if (this.#lastSeq >= seq) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ seq, resolve }));
  }
}
