import type { AudioSink } from '../session/voice-session.js';
import type { AudioSocket, ServerControl } from './voice-socket-protocol.js';

/** Options of {@link WebSocketAudioOutput}. */
export interface AudioOutputOptions {
  /** Stop sending while the socket has this many bytes unsent. @default 32768 (~1 s) */
  highWaterBytes?: number;
  /** Frames held back beyond this are dropped, oldest first (a stalled client). @default 250 (5 s) */
  maxQueuedFrames?: number;
}

/**
 * The agent's audio to a WebSocket: each non-silent 20 ms frame the session
 * writes becomes one binary message (16 kHz mono PCM16 little endian). It
 * never blocks the session: while the socket has more than `highWaterBytes`
 * unsent, frames wait in a bounded queue. {@link flush} drops the queue and
 * tells the client to drop its playback queue (`{"type":"clear"}`), which
 * the session's interruption calls for.
 */
export class WebSocketAudioOutput implements AudioSink {
  readonly #socket: AudioSocket;
  readonly #highWater: number;
  readonly #maxQueued: number;
  readonly #queue: Int16Array[] = [];
  /** Frames dropped because the client did not keep up. */
  dropped = 0;
  /** Frames sent. */
  sent = 0;

  constructor(socket: AudioSocket, options: AudioOutputOptions = {}) {
    this.#socket = socket;
    this.#highWater = options.highWaterBytes ?? 32_768;
    this.#maxQueued = options.maxQueuedFrames ?? 250;
  }

  write(frame: Int16Array): void {
    // Silence is not sent: the client plays nothing when nothing arrives.
    if (frame.every((sample) => sample === 0)) return this.pump();
    this.#queue.push(frame);
    while (this.#queue.length > this.#maxQueued) {
      this.#queue.shift();
      this.dropped++;
    }
    this.pump();
  }

  /** Frames waiting for the socket. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Sends what the socket can take now (also called on each write). */
  pump(): void {
    while (this.#queue.length > 0 && this.#socket.readyState === 1) {
      if (this.#socket.bufferedAmount > this.#highWater) return;
      this.#socket.send(littleEndianBytes(this.#queue.shift()!));
      this.sent++;
    }
  }

  /** Drops every frame not yet sent and tells the client to stop playing what it has. */
  flush(): void {
    this.#queue.length = 0;
    this.control({ type: 'clear' });
  }

  /** Sends a control message. */
  control(message: ServerControl): void {
    if (this.#socket.readyState === 1) this.#socket.send(JSON.stringify(message));
  }
}

function littleEndianBytes(frame: Int16Array): Uint8Array {
  const bytes = new Uint8Array(frame.length * 2);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < frame.length; index++) view.setInt16(index * 2, frame[index]!, true);
  return bytes;
}
