/**
 * One dispatched SSE frame.
 *
 * A block that carries no `data:` line is still returned when it sets `id` or
 * `retry`, so callers see them; its `data` is `''` and `EventSource` would not
 * fire a message for it. Comment-only blocks are never returned.
 */
export interface SseFrame {
  /**
   * The `id:` field of this block, when it had one (`''` resets the stream's
   * last event id). For the id that stays in force across blocks, read
   * {@link SseParser.lastEventId}.
   */
  id?: string;
  /** The `event:` field, when set and non-empty (`EventSource` would default it to `message`). */
  event?: string;
  /** The `data:` lines of the block joined with `\n`. */
  data: string;
  /** A valid `retry:` field of this block: the reconnection delay in milliseconds. */
  retry?: number;
}

import { EventsError } from '../errors/events-error.js';

/** Default cap on one SSE block (its lines and data), in characters: 8 Mi. */
export const DEFAULT_MAX_SSE_BLOCK_CHARS = 8 * 1024 * 1024;

const LF = 10;
const CR = 13;
const BOM = 0xfeff;
const lineEnd = /[\r\n]/g;
const digitsOnly = /^\d+$/;

/**
 * An incremental parser of the `text/event-stream` format that follows the
 * WHATWG rules: lines end with CRLF, LF or CR (also when a CRLF is split across
 * chunks), one leading BOM is dropped, `data:` lines are joined with `\n`,
 * comments and unknown fields are ignored, an `id:` containing NUL is ignored,
 * `retry:` must be all digits, and a block is dispatched on a blank line. An
 * unterminated block at the end of the stream is discarded.
 *
 * Feed it decoded text; {@link decodeSseStream} does the UTF-8 decoding for a
 * byte stream.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export class SseParser {
  readonly #maxBlockChars: number;
  #blockChars = 0;
  #partial = '';
  #started = false;
  #skipLeadingLf = false;
  #data: string[] = [];
  #event = '';
  #id: string | undefined;
  #retry: number | undefined;
  #lastEventId = '';
  /** A block-size error found after other frames of the same chunk completed; thrown by the next `feed`. */
  #deferred: EventsError | undefined;

  /**
   * @param options.maxBlockChars - largest block (all its lines) accepted before
   *   the parser throws `EVENTS_SSE_PROTOCOL`, so a hostile or broken server
   *   cannot make a client buffer without bound. @default 8 Mi characters
   */
  constructor(options: { maxBlockChars?: number } = {}) {
    this.#maxBlockChars = options.maxBlockChars ?? DEFAULT_MAX_SSE_BLOCK_CHARS;
  }

  /** The last event id in force (WHATWG's `lastEventId`): kept across blocks until an `id:` changes it. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /**
   * Parses the next piece of text and returns the frames it completed, in
   * order. When a block grows past the cap, the frames completed before it in
   * the same chunk are still returned, and the next call throws.
   */
  feed(chunk: string): SseFrame[] {
    const deferred = this.#deferred;
    if (deferred) {
      this.#deferred = undefined;
      throw deferred;
    }
    const frames: SseFrame[] = [];
    try {
      this.#feed(chunk, frames);
    } catch (error) {
      if (frames.length === 0 || !(error instanceof EventsError)) throw error;
      this.#deferred = error;
    }
    return frames;
  }

  #feed(chunk: string, frames: SseFrame[]): void {
    if (chunk.length === 0) return;
    let pos = 0;
    if (!this.#started) {
      this.#started = true;
      if (chunk.charCodeAt(0) === BOM) pos = 1;
    }
    if (this.#skipLeadingLf) {
      this.#skipLeadingLf = false;
      if (chunk.charCodeAt(pos) === LF) pos += 1;
    }
    while (pos < chunk.length) {
      lineEnd.lastIndex = pos;
      const match = lineEnd.exec(chunk);
      if (!match) {
        this.#partial += chunk.slice(pos);
        this.#count(chunk.length - pos);
        break;
      }
      const end = match.index;
      const line = this.#partial + chunk.slice(pos, end);
      this.#count(end - pos);
      this.#partial = '';
      pos = end + 1;
      if (chunk.charCodeAt(end) === CR) {
        // A CR at the very end may be the first half of a CRLF split across chunks.
        if (pos === chunk.length) this.#skipLeadingLf = true;
        else if (chunk.charCodeAt(pos) === LF) pos += 1;
      }
      this.#line(line, frames);
    }
  }

  /** Forgets any unterminated line or block (the stream ended or was replaced); keeps `lastEventId`. */
  reset(): void {
    this.#deferred = undefined;
    this.#partial = '';
    this.#started = false;
    this.#skipLeadingLf = false;
    this.#clearBlock();
  }

  #count(chars: number): void {
    this.#blockChars += chars;
    if (this.#blockChars > this.#maxBlockChars) {
      const size = this.#blockChars;
      this.reset();
      throw new EventsError({
        code: 'EVENTS_SSE_PROTOCOL',
        message: `An SSE block exceeded ${this.#maxBlockChars} characters.`,
        details: { size, limit: this.#maxBlockChars },
      });
    }
  }

  #line(line: string, frames: SseFrame[]): void {
    if (line.length === 0) {
      this.#dispatch(frames);
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) return; // comment
    let field = line;
    let value = '';
    if (colon > 0) {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.#id = value;
          this.#lastEventId = value;
        }
        break;
      case 'retry':
        if (digitsOnly.test(value)) this.#retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  #dispatch(frames: SseFrame[]): void {
    if (this.#data.length > 0 || this.#id !== undefined || this.#retry !== undefined) {
      frames.push({
        ...(this.#id === undefined ? {} : { id: this.#id }),
        ...(this.#event === '' ? {} : { event: this.#event }),
        data: this.#data.join('\n'),
        ...(this.#retry === undefined ? {} : { retry: this.#retry }),
      });
    }
    this.#clearBlock();
  }

  #clearBlock(): void {
    this.#blockChars = 0;
    this.#data = [];
    this.#event = '';
    this.#id = undefined;
    this.#retry = undefined;
  }
}

/**
 * Decodes an SSE byte stream (e.g. a `fetch` response body) into frames.
 * UTF-8 sequences split across chunks are reassembled. Stopping the iteration
 * early cancels the body, which closes the connection.
 */
export async function* decodeSseStream(
  body: ReadableStream<Uint8Array>,
  options: { maxBlockChars?: number } = {},
): AsyncGenerator<SseFrame> {
  // ignoreBOM: the parser drops exactly one BOM itself, as the spec asks.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const parser = new SseParser(options);
  const reader = body.getReader();
  let done = false;
  try {
    for (;;) {
      const result = await reader.read();
      if (result.done) {
        done = true;
        yield* parser.feed(decoder.decode());
        parser.feed(''); // throws a block-size error found in the last chunk
        return;
      }
      yield* parser.feed(decoder.decode(result.value, { stream: true }));
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
