import { Writable } from 'node:stream';

/** The part of a terminal stream (`process.stdout`) the echo is written to. */
export interface TerminalStream {
  write(chunk: string | Uint8Array): boolean;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
  readonly columns?: number;
  readonly rows?: number;
}

/**
 * The terminal as readline's output, with its echo switchable. readline
 * echoes every key the moment it is typed, at the cursor; while an answer
 * streams the cursor is in the middle of that answer, so the keys would be
 * spliced into it. Muted, the echo is dropped while readline keeps the keys
 * in its line buffer: the next prompt (`rl.prompt(true)`) draws them again,
 * so nothing typed is lost. Only readline writes here; the chat's own output
 * goes to the terminal directly and is never muted.
 */
export class MutableTerminalOutput extends Writable {
  /** readline draws a terminal UI only for a TTY. */
  readonly isTTY = true;
  readonly #terminal: TerminalStream;
  #muted = false;
  readonly #onResize = () => this.emit('resize');

  constructor(terminal: TerminalStream) {
    // decodeStrings: false hands readline's strings to the terminal as they are.
    super({ decodeStrings: false });
    this.#terminal = terminal;
    // readline re-wraps its line when the terminal is resized.
    terminal.on('resize', this.#onResize);
  }

  /** The terminal's width: readline wraps the line it edits with it. */
  get columns(): number | undefined {
    return this.#terminal.columns;
  }

  get rows(): number | undefined {
    return this.#terminal.rows;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** Drops readline's writes (its echo of typed keys) until {@link unmute}. */
  mute(): void {
    this.#muted = true;
  }

  /** Lets readline's writes through again. */
  unmute(): void {
    this.#muted = false;
  }

  override _write(
    chunk: string | Buffer,
    _encoding: BufferEncoding | 'buffer',
    callback: (error?: Error | null) => void,
  ): void {
    if (!this.#muted) this.#terminal.write(chunk);
    // At once: readline's writes must stay in step with the mute switch.
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#terminal.off('resize', this.#onResize);
    callback(error);
  }
}
