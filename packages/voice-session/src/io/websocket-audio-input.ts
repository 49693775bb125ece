import { FRAME_SAMPLES } from '../audio/pcm.js';
import { VoiceError } from '../errors/voice-error.js';

/** Options of {@link WebSocketAudioInput}. */
export interface AudioInputOptions {
  /**
   * Frames waiting for the session beyond this are dropped, oldest first (a
   * session slower than real time loses audio instead of lagging further).
   * @default 100 (2 s)
   */
  maxQueuedFrames?: number;
}

/**
 * A push stream of microphone audio: bytes of 16 kHz mono PCM16 (little
 * endian) arrive in chunks of any size, and leave as whole 20 ms frames
 * through {@link frames}, an async iterator the session is fed from.
 */
export class WebSocketAudioInput {
  readonly #maxQueued: number;
  readonly #queue: Int16Array[] = [];
  #partial = new Uint8Array(0);
  #waiting: (() => void) | undefined;
  #ended = false;
  /** Frames dropped because the session fell behind. */
  dropped = 0;

  constructor(options: AudioInputOptions = {}) {
    this.#maxQueued = options.maxQueuedFrames ?? 100;
  }

  /** Adds received bytes (an odd trailing byte waits for the next chunk). */
  push(bytes: Uint8Array): void {
    if (this.#ended) return;
    const joined = new Uint8Array(this.#partial.length + bytes.length);
    joined.set(this.#partial);
    joined.set(bytes, this.#partial.length);
    const frameBytes = FRAME_SAMPLES * 2;
    let offset = 0;
    for (; offset + frameBytes <= joined.length; offset += frameBytes) {
      // Copy into an aligned buffer; read little endian whatever the host is.
      const view = new DataView(joined.buffer, joined.byteOffset + offset, frameBytes);
      const frame = new Int16Array(FRAME_SAMPLES);
      for (let index = 0; index < FRAME_SAMPLES; index++)
        frame[index] = view.getInt16(index * 2, true);
      this.#queue.push(frame);
    }
    this.#partial = joined.slice(offset);
    while (this.#queue.length > this.#maxQueued) {
      this.#queue.shift();
      this.dropped++;
    }
    this.#wake();
  }

  /** Frames queued and not yet taken. */
  get queued(): number {
    return this.#queue.length;
  }

  /** No more audio: {@link frames} ends once the queue is drained. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  /** The frames, in order, as they arrive; ends after {@link end}. */
  async *frames(): AsyncGenerator<Int16Array> {
    for (;;) {
      const frame = this.#queue.shift();
      if (frame) {
        yield frame;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#waiting = resolve));
    }
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }
}

/** The bytes of a binary WebSocket message (`Buffer`, `ArrayBuffer`, or fragments). */
export function messageBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data) && data.every((part) => part instanceof Uint8Array)) {
    const parts: Uint8Array[] = data;
    const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
  throw new VoiceError({ code: 'VOICE_INVALID_AUDIO', message: 'Not a binary audio message.' });
}
