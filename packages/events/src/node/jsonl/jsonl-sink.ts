import { mkdir, open, truncate, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { EventsError, parseEventsOptions } from '../../errors/events-error.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import type { SequenceHead } from '../../sequencer/session-sequencer.js';
import type { EventSink } from '../../sinks/event-sink.js';
import { jsonlFileIndex, jsonlFileName, listJsonlFiles, readTail } from './jsonl-files.js';
import { readJsonlLines } from './jsonl-lines.js';
import { parseLastPosition, positionProblem, type JsonlPosition } from './jsonl-position.js';
import { applyJsonlRetention } from './jsonl-retention.js';
import { jsonlSinkOptionsSchema, type JsonlSinkOptions } from './jsonl-sink-options.js';

/** Types after which the buffer is written at once: a run or session boundary. */
const BOUNDARY_TYPES = new Set(['run.finished', 'run.failed', 'session.ended']);
const NEWLINE = 0x0a;
/** Events read from the log per backfill page. */
const BACKFILL_PAGE = 1000;
const ignore = () => {};

type ResolvedOptions = ReturnType<typeof jsonlSinkOptionsSchema.parse>;

/**
 * Appends stamped events to a JSONL file, one event per line, exactly as
 * given (its `seq` is the line's identity). Writes are buffered: `write` only
 * queues the line; the buffer goes to disk when it reaches `bufferBytes`,
 * after `flushIntervalMs`, at a run or session boundary, and on `flush()`.
 * One write is in flight at a time, so lines are never reordered. Past
 * `maxBufferedBytes` not yet on disk, `write` returns a promise (backpressure).
 *
 * Files rotate at `maxFileBytes` (default 100 MiB): `events.jsonl`, then
 * `events-000001.jsonl`, … Opening an existing series appends to its last
 * file (never truncates), and a torn last line left by a crash (bytes after
 * the last newline) is cut off first, so the next event starts on a fresh line.
 *
 * The sink keeps each session's sequence honest for the sessions it knows
 * (the one on the file's last line, and every one written since open): an
 * event at or below a session's last seq is refused with
 * `EVENTS_SEQ_CONFLICT`; one past a gap is preceded by the missing events read
 * from `backfillFrom`, or reported as `EVENTS_JSONL_GAP` without it.
 */
export class JsonlSink implements EventSink {
  readonly basePath: string;
  readonly #options: ResolvedOptions;
  #handle: FileHandle;
  #fileIndex: number;
  #fileBytes: number;
  /**
   * Serialised lines waiting for the disk, cut into ~bufferBytes chunks and
   * encoded once when cut. Small chunks matter: the bus may hand over 100k
   * events in one tick, and one giant string is far slower to flatten and
   * encode; a Buffer also knows its exact size for rotation and backpressure.
   */
  #chunks: Buffer[] = [];
  #chunkBytes = 0;
  #pending = '';
  #pendingCount = 0;
  /** UTF-16 length of #pending: equals its UTF-8 size for ASCII, a lower bound otherwise. */
  #pendingChars = 0;
  /** Bytes handed to the write in flight and not yet written. */
  #inFlightBytes = 0;
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #lastSeq: number;
  #lastTs: number;
  /** Last seq in the series of each session this sink knows. */
  readonly #sessionSeqs = new Map<string, number>();
  /** Set while a gap is being filled: later writes queue behind it, so lines stay in order. */
  #gate: Promise<void> | undefined;

  private constructor(init: {
    basePath: string;
    options: ResolvedOptions;
    handle: FileHandle;
    fileIndex: number;
    fileBytes: number;
    tail: JsonlPosition | undefined;
  }) {
    this.basePath = init.basePath;
    this.#options = init.options;
    this.#handle = init.handle;
    this.#fileIndex = init.fileIndex;
    this.#fileBytes = init.fileBytes;
    this.#lastSeq = init.tail?.seq ?? 0;
    this.#lastTs = init.tail?.ts ?? 0;
    if (init.tail) this.#sessionSeqs.set(init.tail.sessionId, init.tail.seq);
  }

  /**
   * Opens (or creates) the series at `basePath`. Recovers from a crash by
   * cutting a torn last line, reported through `onError` with code
   * `EVENTS_JSONL_CORRUPT` and `details.recovered: true`. A last line that is
   * not an event with a `seq` fails with `EVENTS_JSONL_CORRUPT` (the next
   * number would be a guess). With `backfillFrom`, the last line's session is
   * brought up to the log's head before this resolves.
   */
  static async open(basePath: string, options: JsonlSinkOptions = {}): Promise<JsonlSink> {
    const resolved = parseEventsOptions(jsonlSinkOptionsSchema, options);
    await mkdir(path.dirname(basePath), { recursive: true });
    const files = await listJsonlFiles(basePath);
    let tail: JsonlPosition | undefined;
    let fileBytes = 0;
    const last = files.at(-1) ?? basePath;
    // Walk back over empty files (a rotation that wrote nothing) to find the head.
    for (let index = files.length - 1; index >= 0; index--) {
      const file = files[index]!;
      const found = await readTail(file, resolved.maxLineBytes);
      if (found.torn) {
        await truncate(file, found.completeBytes);
        resolved.onError?.(
          new EventsError({
            code: 'EVENTS_JSONL_CORRUPT',
            message: `Cut a torn last line (${found.size - found.completeBytes} bytes) from ${file}: the previous writer stopped mid-line.`,
            details: {
              file,
              keptBytes: found.completeBytes,
              droppedBytes: found.size - found.completeBytes,
              recovered: true,
            },
          }),
        );
      }
      if (file === last) fileBytes = found.completeBytes;
      if (found.lastLine !== undefined) {
        tail = parseLastPosition(found.lastLine, file);
        break;
      }
    }
    const handle = await open(last, 'a');
    const sink = new JsonlSink({
      basePath,
      options: resolved,
      handle,
      fileIndex: jsonlFileIndex(basePath, last),
      fileBytes,
      tail,
    });
    try {
      if (resolved.retention) await sink.#applyRetention();
      if (resolved.backfillFrom && tail) {
        const head = await resolved.backfillFrom.head(tail.sessionId);
        if (head.seq > tail.seq) await sink.#backfill(tail.sessionId, tail.seq, head.seq);
        await sink.flush();
      }
    } catch (error) {
      await sink.close().catch(ignore); // keeps what was backfilled: still contiguous
      throw error;
    }
    return sink;
  }

  /** `seq` and `ts` of the last event written (or found on open); feed it to `bus.restoreSession`. */
  get head(): SequenceHead {
    return { seq: this.#lastSeq, ts: this.#lastTs };
  }

  /** The file currently appended to. */
  get currentFile(): string {
    return jsonlFileName(this.basePath, this.#fileIndex);
  }

  /** Bytes accepted by `write` and not yet on disk (≈ for non-ASCII text not yet cut into a chunk). */
  get bufferedBytes(): number {
    return this.#chunkBytes + this.#pendingChars + this.#inFlightBytes;
  }

  /**
   * Queues one event. Returns nothing in the common case; returns a promise
   * when the buffer is past `maxBufferedBytes` (it settles once the buffer is
   * on disk) or while a gap is filled from `backfillFrom`. The bus waits for
   * it before the next event; other callers should too. `json` (the bus's
   * `JSON.stringify(event)`), when given, is written as the line as is.
   */
  write(event: AnyEvent, json?: string): void | Promise<void> {
    this.#assertOpen();
    if (this.#gate) return this.#gated(this.#gate.then(() => this.#accept(event, json)));
    return this.#accept(event, json);
  }

  /** Resolves when every line written so far is on disk (fsynced with `fsync: true`). */
  flush(): Promise<void> {
    // A gap being filled holds lines written after it; wait for them too.
    const gate = this.#gate;
    if (gate) return gate.then(() => this.flush());
    return this.#flushNow();
  }

  /** Queues a drain behind the one in flight, without waiting for a gap being filled. */
  #flushNow(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#chain = this.#chain.then(() => this.#drain());
    return this.#chain;
  }

  /** `await using` support: the same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Flushes and closes the file. Later writes throw `EVENTS_CLOSED`. */
  async close(): Promise<void> {
    if (this.#closed) return this.#chain;
    await this.flush();
    this.#closed = true;
    await this.#handle.close();
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new EventsError({
        code: 'EVENTS_CLOSED',
        message: `JSONL sink ${this.basePath} is closed.`,
      });
  }

  /** Makes later writes wait for `work`; the promise returned rejects like `work`. */
  #gated(work: Promise<void>): Promise<void> {
    const gate = work.then(ignore, ignore);
    this.#gate = gate;
    void gate.then(() => {
      if (this.#gate === gate) this.#gate = undefined;
    });
    return work;
  }

  #accept(event: AnyEvent, json: string | undefined): void | Promise<void> {
    const known = this.#sessionSeqs.get(event.sessionId);
    if (known !== undefined && event.seq <= known) throw this.#conflict(event, known);
    const behind =
      known !== undefined
        ? event.seq > known + 1
        : event.seq > 1 && this.#options.backfillFrom !== undefined;
    if (behind) return this.#gated(this.#catchUp(event, known, json));
    return this.#enqueue(event, json);
  }

  #conflict(event: AnyEvent, lastSeq: number): EventsError {
    return new EventsError({
      code: 'EVENTS_SEQ_CONFLICT',
      message: `Event seq ${event.seq} of session ${event.sessionId} is not after seq ${lastSeq}, already in ${this.basePath}; it was not written. A restarted bus must continue from the file (bus.restoreSession(sessionId, sink.head)) or from a log.`,
      details: { sessionId: event.sessionId, seq: event.seq, lastSeq },
    });
  }

  /** Writes a session's missing events (from the log, if any) and then `event`. */
  async #catchUp(
    event: AnyEvent,
    known: number | undefined,
    json: string | undefined,
  ): Promise<void> {
    const { sessionId } = event;
    let after: number | undefined;
    try {
      after = known ?? (await this.#locate(sessionId));
    } catch (error) {
      this.#reportGapFailure(event, error);
      return this.#enqueue(event, json);
    }
    if (after === undefined) {
      this.#reportGap({ sessionId, to: event.seq - 1, reason: 'unknown-position' });
    } else if (event.seq <= after) {
      this.#sessionSeqs.set(sessionId, after);
      throw this.#conflict(event, after); // the file is ahead of the bus
    } else if (this.#options.backfillFrom) {
      try {
        await this.#backfill(sessionId, after, event.seq - 1);
      } catch (error) {
        this.#reportGapFailure(event, error);
      }
    } else {
      this.#reportGap({ sessionId, from: after + 1, to: event.seq - 1, reason: 'no-log' });
    }
    return this.#enqueue(event, json);
  }

  #reportGapFailure(event: AnyEvent, error: unknown): void {
    this.#options.onError?.(
      new EventsError({
        code: 'EVENTS_JSONL_GAP',
        message: `Could not fill the gap before seq ${event.seq} of session ${event.sessionId} in ${this.basePath}: ${(error as Error)?.message ?? String(error)}`,
        details: { sessionId: event.sessionId, to: event.seq - 1, reason: 'backfill-failed' },
        cause: error,
      }),
    );
  }

  /**
   * Writes the session's events with `after < seq ≤ until` from the log, page
   * by page with backpressure. Events the log no longer has are reported as a
   * gap; ones over `maxEventBytes` are reported and skipped, as live ones are.
   */
  async #backfill(sessionId: string, after: number, until: number): Promise<void> {
    const log = this.#options.backfillFrom!;
    let position = after;
    while (position < until) {
      const page = await log.read(sessionId, position, Math.min(BACKFILL_PAGE, until - position));
      if (page.length === 0) break;
      for (const stored of page) {
        if (stored.seq > until) break;
        if (stored.seq <= position) continue;
        if (stored.seq > position + 1)
          this.#reportGap({
            sessionId,
            from: position + 1,
            to: stored.seq - 1,
            reason: 'not-in-log',
          });
        try {
          await this.#enqueue(stored, undefined);
        } catch (error) {
          if (!(error instanceof EventsError)) throw error;
          this.#options.onError?.(error); // too large: skipped, as a live one would be
        }
        position = stored.seq;
      }
    }
    if (position < until)
      this.#reportGap({ sessionId, from: position + 1, to: until, reason: 'not-in-log' });
  }

  /**
   * The last seq of a session this sink has not seen since open, by scanning
   * the series from its newest file back. Not found: 0 when the series is
   * whole (the session starts here), undefined when retention removed its
   * first files (its events may have been in them).
   */
  async #locate(sessionId: string): Promise<number | undefined> {
    const files = await listJsonlFiles(this.basePath);
    for (let index = files.length - 1; index >= 0; index--) {
      let found: number | undefined;
      const needle = JSON.stringify(sessionId).slice(1, -1); // as it appears in a line
      for await (const line of readJsonlLines(files[index]!, this.#options.maxLineBytes)) {
        if (!line.terminated || !line.text.includes(needle)) continue;
        try {
          const record = JSON.parse(line.text) as { sessionId?: unknown; seq?: number };
          if (positionProblem(record) === undefined && record.sessionId === sessionId)
            found = record.seq;
        } catch {
          // An unreadable line is the reader's to report; it holds no position.
        }
      }
      if (found !== undefined) return found;
    }
    return files.length === 0 || files[0] === this.basePath ? 0 : undefined;
  }

  #reportGap(gap: {
    sessionId: string;
    from?: number;
    to: number;
    reason: 'no-log' | 'not-in-log' | 'unknown-position';
  }): void {
    const { sessionId, from, to, reason } = gap;
    const range = from === undefined ? `up to seq ${to}` : `seq ${from}–${to}`;
    const fix =
      reason === 'no-log'
        ? 'Pass the bus log as backfillFrom to fill such gaps.'
        : reason === 'not-in-log'
          ? 'The log no longer holds them either.'
          : 'Retention removed the files that would tell where it stopped.';
    this.#options.onError?.(
      new EventsError({
        code: 'EVENTS_JSONL_GAP',
        message: `${this.basePath} is missing ${range} of session ${sessionId}. ${fix}`,
        details: {
          file: this.basePath,
          sessionId,
          ...(from === undefined ? {} : { from }),
          to,
          reason,
        },
      }),
    );
  }

  /** Buffers one event's line (`json`, else serialised here); returns a promise when past the high-water mark. */
  #enqueue(event: AnyEvent, json: string | undefined): void | Promise<void> {
    const line = `${json ?? JSON.stringify(event)}\n`;
    // UTF-16 length is a lower bound of UTF-8 bytes; measure exactly only when it might matter.
    const bytes =
      line.length * 3 > this.#options.maxEventBytes ? Buffer.byteLength(line) : line.length;
    if (bytes > this.#options.maxEventBytes) {
      // Refused, but seen: the next event of the session is not a gap to fill.
      this.#sessionSeqs.set(event.sessionId, event.seq);
      throw new EventsError({
        code: 'EVENTS_EVENT_TOO_LARGE',
        message: `Event seq ${event.seq} (${event.type}) is ${bytes} bytes; the limit is ${this.#options.maxEventBytes}.`,
        details: { seq: event.seq, type: event.type, bytes, limit: this.#options.maxEventBytes },
      });
    }
    this.#pending += line;
    this.#pendingCount += 1;
    this.#pendingChars += line.length;
    this.#lastSeq = event.seq;
    this.#lastTs = event.ts;
    this.#sessionSeqs.set(event.sessionId, event.seq);
    if (this.#pendingChars >= this.#options.bufferBytes || BOUNDARY_TYPES.has(event.type)) {
      this.#cut();
      void this.#flushNow().catch(ignore); // failures are reported by #drain
    } else if (!this.#timer && this.#options.flushIntervalMs > 0) {
      this.#timer = setTimeout(
        () => void this.#flushNow().catch(ignore),
        this.#options.flushIntervalMs,
      );
      this.#timer.unref();
    }
    if (this.bufferedBytes > this.#options.maxBufferedBytes) return this.#flushNow().catch(ignore);
  }

  /** Encodes the pending text into a chunk. */
  #cut(): void {
    if (!this.#pending) return;
    const chunk = Buffer.from(this.#pending);
    this.#chunks.push(chunk);
    this.#chunkBytes += chunk.length;
    this.#pending = '';
    this.#pendingChars = 0;
  }

  async #drain(): Promise<void> {
    if (this.#pendingCount === 0) return;
    this.#cut();
    const chunks = this.#chunks;
    const count = this.#pendingCount;
    this.#inFlightBytes = this.#chunkBytes;
    this.#chunks = [];
    this.#chunkBytes = 0;
    this.#pendingCount = 0;
    try {
      for (const chunk of chunks) {
        await this.#writeChunk(chunk);
        this.#inFlightBytes -= chunk.length;
      }
    } catch (error) {
      const failure = new EventsError({
        code: 'EVENTS_SINK_FAILED',
        message: `Writing ${count} event(s) to ${this.currentFile} failed: ${(error as Error).message}`,
        details: { file: this.currentFile, lines: count },
        cause: error,
      });
      this.#options.onError?.(failure);
      throw failure;
    } finally {
      this.#inFlightBytes = 0;
    }
  }

  /** Writes whole lines, rotating first when a line would push the file over the limit. */
  async #writeChunk(chunk: Buffer): Promise<void> {
    const limit = this.#options.maxFileBytes;
    if (this.#fileBytes + chunk.length <= limit) {
      await this.#append(chunk); // the common case: one write, no per-line work
      return;
    }
    let start = 0; // chunk[start, cut) is bound for the current file
    for (let cut = 0; cut < chunk.length;) {
      const end = chunk.indexOf(NEWLINE, cut) + 1; // the next line is chunk[cut, end)
      if (this.#fileBytes + end - start > limit && this.#fileBytes + cut - start > 0) {
        await this.#append(chunk.subarray(start, cut));
        await this.#rotate();
        start = cut;
      }
      cut = end;
    }
    await this.#append(chunk.subarray(start));
  }

  async #append(bytes: Buffer): Promise<void> {
    // A pipe may take fewer bytes than offered; a file takes them all in one go.
    for (let offset = 0; offset < bytes.length;) {
      const { bytesWritten } = await this.#handle.write(bytes, offset);
      offset += bytesWritten;
      this.#fileBytes += bytesWritten;
    }
    if (bytes.length > 0 && this.#options.fsync) await this.#handle.sync();
  }

  async #rotate(): Promise<void> {
    await this.#handle.close();
    this.#fileIndex += 1;
    this.#handle = await open(jsonlFileName(this.basePath, this.#fileIndex), 'a');
    this.#fileBytes = 0;
    if (this.#options.retention) await this.#applyRetention();
  }

  /** Retention failures are reported, never thrown: they must not stop the writing. */
  async #applyRetention(): Promise<void> {
    try {
      await applyJsonlRetention(this.basePath, this.#options.retention!);
    } catch (error) {
      this.#options.onError?.(
        new EventsError({
          code: 'EVENTS_SINK_FAILED',
          message: `Applying retention to ${this.basePath} failed: ${(error as Error).message}`,
          details: { file: this.basePath },
          cause: error,
        }),
      );
    }
  }
}
