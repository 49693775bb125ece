import type { Writable } from 'node:stream';
import { encodeSseComment, encodeSseEvent, type EventLog } from '@switchboard/events';
import type { FanOutHubs } from './fan-out-hubs.js';
import type { FanOutMember, SessionFanOut } from './session-fan-out.js';

/** The heartbeat comment: SSE parsers ignore it, proxies see traffic. */
const PING = encodeSseComment('ping');
/** Events per log read while catching up. */
const PAGE = 500;

/** Options of {@link SseWatcher}. */
export interface SseWatcherInit {
  /** Where the frames go: the response, its headers already sent. */
  response: Writable;
  log: EventLog;
  hubs: FanOutHubs;
  sessionId: string;
  /** The client has every event up to this seq. */
  cursor: number;
  /** A `: ping` comment after this many milliseconds without output; 0 disables it. */
  keepAliveMs: number;
  /**
   * Most bytes left queued on the response before the watcher stops taking
   * live frames and waits for the client, then catches up from the log. It
   * bounds what a slow client costs the server.
   */
  highWaterMark: number;
  /** Ends the stream cleanly (with `farewell()`'s comment, if any) when aborted. */
  signal: AbortSignal;
  /** The last comment to write when `signal` ends the stream (e.g. `session deleted`). */
  farewell?: () => string | undefined;
  /** Called with the seq of every event written. */
  onAdvance?: (seq: number) => void;
}

/**
 * One client's event stream of a session: after the preamble it writes the
 * session's stored events after the cursor, read from the log at the
 * client's own pace, then joins the session's fan-out and is written the
 * live frames everyone shares. When the client stops reading and more than
 * `highWaterMark` bytes wait on its socket, it leaves the live set, waits
 * until the socket drains and catches up from the log again; so the server
 * never holds more than that for it, and it still gets every event exactly
 * once, in order. A heartbeat comment is written whenever nothing else was
 * for `keepAliveMs`.
 */
export class SseWatcher implements FanOutMember {
  readonly #init: SseWatcherInit;
  readonly #hub: SessionFanOut;
  #lastSeq: number;
  #lastWriteAt = Date.now();
  #catchingUp = false;
  #ended = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Attaches to the session's fan-out, writes `preamble` and starts catching up. */
  constructor(init: SseWatcherInit, preamble: string) {
    this.#init = init;
    this.#lastSeq = init.cursor;
    const { response, signal, hubs, sessionId, keepAliveMs } = init;
    response.once('close', this.#onClose);
    this.#hub = hubs.attach(sessionId, this);
    response.write(preamble);
    if (signal.aborted) {
      this.#end();
      return;
    }
    signal.addEventListener('abort', this.#onAbort, { once: true });
    if (keepAliveMs > 0) this.#arm(keepAliveMs);
    void this.#catchUp();
  }

  /** The highest seq written to the client. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Whether it is reading the log itself rather than taking the fan-out's frames. */
  get catchingUp(): boolean {
    return this.#catchingUp;
  }

  deliver(seq: number, frame: Uint8Array, now: number): void {
    if (seq <= this.#lastSeq || this.#ended) return;
    if (seq !== this.#lastSeq + 1) {
      // It missed something (it joined behind): the log has it.
      this.#hub.detach(this);
      void this.#catchUp();
      return;
    }
    this.#write(seq, frame, now);
    if (this.#init.response.writableLength > this.#init.highWaterMark) {
      this.#hub.detach(this);
      void this.#catchUp();
    }
  }

  hubEnded(error?: unknown): void {
    if (this.#ended) return;
    if (error === undefined) this.#end();
    else {
      this.#stop();
      // An abrupt end: the client reconnects with its Last-Event-ID.
      this.#init.response.destroy(
        error instanceof Error ? error : new Error('The event log failed.', { cause: error }),
      );
    }
  }

  /** Reads the log after `lastSeq` at the client's pace until caught up, then joins the fan-out. */
  async #catchUp(): Promise<void> {
    if (this.#catchingUp || this.#ended) return;
    this.#catchingUp = true;
    const { response, log, sessionId, highWaterMark } = this.#init;
    try {
      await this.#hub.ready;
      while (!this.#ended) {
        if (response.writableLength > highWaterMark) {
          await this.#drained();
          continue;
        }
        const page = await log.read(sessionId, this.#lastSeq, PAGE);
        if (this.#ended) return;
        const now = Date.now();
        for (const event of page) {
          if (event.seq <= this.#lastSeq) continue;
          this.#write(event.seq, encodeSseEvent(event), now);
          if (response.writableLength > highWaterMark) break;
        }
        if (response.writableLength > highWaterMark || page.length === PAGE) continue;
        // Caught up with what the fan-out has written (an empty read means the log
        // has nothing newer: the fan-out's next frame is the next event).
        if (this.#lastSeq >= this.#hub.lastSeq || page.length === 0) {
          this.#catchingUp = false;
          this.#hub.join(this);
          return;
        }
      }
    } catch (error) {
      this.hubEnded(error);
    } finally {
      if (this.#ended) this.#catchingUp = false;
    }
  }

  #write(seq: number, frame: Uint8Array | string, now: number): void {
    this.#init.response.write(frame);
    this.#lastSeq = seq;
    this.#lastWriteAt = now;
    this.#init.onAdvance?.(seq);
  }

  /** Resolves when the response has drained or closed. */
  #drained(): Promise<void> {
    const { response } = this.#init;
    return new Promise((resolve) => {
      const done = () => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.on('drain', done);
      response.on('close', done);
    });
  }

  // One timer re-armed from the last write, rather than reset on every event.
  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => {
      if (this.#ended) return;
      const { keepAliveMs, response, highWaterMark } = this.#init;
      const idleMs = Date.now() - this.#lastWriteAt;
      if (idleMs < keepAliveMs) return this.#arm(keepAliveMs - idleMs);
      // A full socket means the client is not reading; a ping would not reach it sooner.
      if (response.writableLength <= highWaterMark) {
        response.write(PING);
        this.#lastWriteAt = Date.now();
      }
      this.#arm(keepAliveMs);
    }, delayMs);
  }

  readonly #onAbort = (): void => {
    if (this.#ended) return;
    const farewell = this.#init.farewell?.();
    this.#end(farewell === undefined ? undefined : encodeSseComment(farewell));
  };

  readonly #onClose = (): void => {
    this.#stop();
  };

  /** Ends the response cleanly, after `last` if given. */
  #end(last?: string): void {
    if (this.#ended) return;
    this.#stop();
    if (last === undefined) this.#init.response.end();
    else this.#init.response.end(last);
  }

  /** Stops everything of this watcher: the fan-out, the heartbeat, the abort listener. */
  #stop(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#timer);
    this.#init.signal.removeEventListener('abort', this.#onAbort);
    this.#hub.leave(this);
  }
}
