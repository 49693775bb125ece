import { mkdir, open, truncate, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { EventsError } from '../../errors/events-error.js';
import { parseOptions } from '../../errors/parse-options.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import type { SequenceHead } from '../../sequencer/session-sequencer.js';
import type { EventSink } from '../../sinks/event-sink.js';
import { jsonlFileIndex, jsonlFileName, listJsonlFiles, readTail } from './jsonl-files.js';
import { jsonlSinkOptionsSchema, type JsonlSinkOptions } from './jsonl-sink-options.js';

/** Types after which the buffer is written at once: a run or session boundary. */
const BOUNDARY_TYPES = new Set(['run.finished', 'run.failed', 'session.ended']);

/**
 * Appends stamped events to a JSONL file, one event per line, exactly as
 * given (its `seq` is the line's identity). Writes are buffered: `write` only
 * queues the line; the buffer goes to disk when it reaches `bufferBytes`,
 * after `flushIntervalMs`, at a run or session boundary, and on `flush()`.
 * One write is in flight at a time, so lines are never reordered.
 *
 * Files rotate at `maxFileBytes` (default 100 MiB): `events.jsonl`, then
 * `events-000001.jsonl`, … Opening an existing series appends to its last
 * file (never truncates), and a torn last line left by a crash is cut off
 * first, so the next event starts on a fresh line.
 */
export class JsonlSink implements EventSink {
  readonly basePath: string;
  readonly #options: ReturnType<typeof jsonlSinkOptionsSchema.parse>;
  #handle: FileHandle;
  #fileIndex: number;
  #fileBytes: number;
  /**
   * Serialised lines waiting for the disk, cut into ~bufferBytes chunks. Small
   * chunks matter: the bus may hand over 100k events in one tick, and one
   * giant concatenated string is far slower to flatten and encode.
   */
  #chunks: string[] = [];
  #pending = '';
  #pendingCount = 0;
  /** UTF-16 length of #pending: equals its UTF-8 size for ASCII, a lower bound otherwise. */
  #pendingChars = 0;
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #lastSeq: number;
  #lastTs: number;

  private constructor(init: {
    basePath: string;
    options: ReturnType<typeof jsonlSinkOptionsSchema.parse>;
    handle: FileHandle;
    fileIndex: number;
    fileBytes: number;
    head: SequenceHead;
  }) {
    this.basePath = init.basePath;
    this.#options = init.options;
    this.#handle = init.handle;
    this.#fileIndex = init.fileIndex;
    this.#fileBytes = init.fileBytes;
    this.#lastSeq = init.head.seq;
    this.#lastTs = init.head.ts;
  }

  /**
   * Opens (or creates) the series at `basePath`. Recovers from a crash by
   * cutting a torn last line, reported through `onError` with code
   * `EVENTS_JSONL_CORRUPT` and `details.recovered: true`.
   */
  static async open(basePath: string, options: JsonlSinkOptions = {}): Promise<JsonlSink> {
    const resolved = parseOptions(jsonlSinkOptionsSchema, options, 'EVENTS_INVALID_OPTIONS');
    await mkdir(path.dirname(basePath), { recursive: true });
    const files = await listJsonlFiles(basePath);
    let head: SequenceHead = { seq: 0, ts: 0 };
    let fileBytes = 0;
    const last = files.at(-1) ?? basePath;
    // Walk back over empty files (a rotation that wrote nothing) to find the head.
    for (let index = files.length - 1; index >= 0; index--) {
      const file = files[index]!;
      const tail = await readTail(file);
      if (tail.torn) {
        await truncate(file, tail.completeBytes);
        resolved.onError?.(
          new EventsError({
            code: 'EVENTS_JSONL_CORRUPT',
            message: `Cut a torn last line (${tail.size - tail.completeBytes} bytes) from ${file}: the previous writer stopped mid-line.`,
            details: {
              file,
              keptBytes: tail.completeBytes,
              droppedBytes: tail.size - tail.completeBytes,
              recovered: true,
            },
          }),
        );
      }
      if (file === last) fileBytes = tail.completeBytes;
      if (tail.lastLine !== undefined) {
        const event = JSON.parse(tail.lastLine) as Partial<AnyEvent>;
        if (typeof event.seq === 'number')
          head = { seq: event.seq, ts: typeof event.ts === 'number' ? event.ts : 0 };
        break;
      }
    }
    const handle = await open(last, 'a');
    return new JsonlSink({
      basePath,
      options: resolved,
      handle,
      fileIndex: jsonlFileIndex(basePath, last),
      fileBytes,
      head,
    });
  }

  /** `seq` and `ts` of the last event written (or found on open); feed it to `bus.restoreSession`. */
  get head(): SequenceHead {
    return { seq: this.#lastSeq, ts: this.#lastTs };
  }

  /** The file currently appended to. */
  get currentFile(): string {
    return jsonlFileName(this.basePath, this.#fileIndex);
  }

  write(event: AnyEvent): void {
    if (this.#closed)
      throw new EventsError({
        code: 'EVENTS_CLOSED',
        message: `JSONL sink ${this.basePath} is closed.`,
      });
    const line = `${JSON.stringify(event)}\n`;
    // UTF-16 length is a lower bound of UTF-8 bytes; measure exactly only when it might matter.
    const bytes =
      line.length * 3 > this.#options.maxEventBytes ? Buffer.byteLength(line) : line.length;
    if (bytes > this.#options.maxEventBytes) {
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
    if (this.#pendingChars >= this.#options.bufferBytes || BOUNDARY_TYPES.has(event.type)) {
      this.#chunks.push(this.#pending);
      this.#pending = '';
      this.#pendingChars = 0;
      void this.flush().catch(() => {}); // failures are reported by #drain
    } else if (!this.#timer && this.#options.flushIntervalMs > 0) {
      this.#timer = setTimeout(
        () => void this.flush().catch(() => {}),
        this.#options.flushIntervalMs,
      );
      this.#timer.unref();
    }
  }

  /** Resolves when every line written so far is on disk (fsynced with `fsync: true`). */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#chain = this.#chain.then(() => this.#drain());
    return this.#chain;
  }

  /** Flushes and closes the file. Later writes throw `EVENTS_CLOSED`. */
  async close(): Promise<void> {
    if (this.#closed) return this.#chain;
    await this.flush();
    this.#closed = true;
    await this.#handle.close();
  }

  async #drain(): Promise<void> {
    if (this.#pendingCount === 0) return;
    const chunks = this.#chunks;
    if (this.#pending) chunks.push(this.#pending);
    const count = this.#pendingCount;
    this.#chunks = [];
    this.#pending = '';
    this.#pendingCount = 0;
    this.#pendingChars = 0;
    try {
      for (const text of chunks) await this.#writeChunk(text);
    } catch (error) {
      const failure = new EventsError({
        code: 'EVENTS_SINK_FAILED',
        message: `Writing ${count} event(s) to ${this.currentFile} failed: ${(error as Error).message}`,
        details: { file: this.currentFile, lines: count },
        cause: error,
      });
      this.#options.onError?.(failure);
      throw failure;
    }
  }

  /** Writes whole lines, rotating first when a line would push the file over the limit. */
  async #writeChunk(text: string): Promise<void> {
    const bytes = Buffer.byteLength(text);
    if (this.#fileBytes + bytes <= this.#options.maxFileBytes) {
      await this.#append(text, bytes); // the common case: one write, no per-line work
      return;
    }
    let chunk = '';
    let chunkBytes = 0;
    for (const body of text.slice(0, -1).split('\n')) {
      const line = `${body}\n`;
      const lineBytes = Buffer.byteLength(line);
      if (
        this.#fileBytes + chunkBytes + lineBytes > this.#options.maxFileBytes &&
        this.#fileBytes + chunkBytes > 0
      ) {
        await this.#append(chunk, chunkBytes);
        chunk = '';
        chunkBytes = 0;
        await this.#rotate();
      }
      chunk += line;
      chunkBytes += lineBytes;
    }
    await this.#append(chunk, chunkBytes);
  }

  async #append(text: string, bytes: number): Promise<void> {
    if (bytes === 0) return;
    await this.#handle.write(text);
    this.#fileBytes += bytes;
    if (this.#options.fsync) await this.#handle.sync();
  }

  async #rotate(): Promise<void> {
    await this.#handle.close();
    this.#fileIndex += 1;
    this.#handle = await open(jsonlFileName(this.basePath, this.#fileIndex), 'a');
    this.#fileBytes = 0;
  }
}
