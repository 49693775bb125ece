/** What a VAD stream reports after each window. */
export type VadEvent =
  { type: 'start'; speechMs: number } | { type: 'end'; speechMs: number; silenceMs: number };

/** The VAD's view after the audio pushed so far. */
export interface VadUpdate {
  events: VadEvent[];
  /** Inside a speech segment (from `start` to `end`). */
  speaking: boolean;
  /** Speech in the current segment so far (0 outside one). */
  speechMs: number;
  /** Trailing silence in the current segment. */
  silenceMs: number;
}

/** One audio stream's voice activity detector (state kept between pushes). */
export interface VadStream {
  push(pcm: Int16Array): Promise<VadUpdate>;
}

/** A voice activity detector: one stream per audio input. */
export interface Vad {
  readonly label: string;
  createStream(): VadStream;
}
