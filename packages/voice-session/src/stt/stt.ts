/** A recognised word with its time in the utterance. */
export interface SttWord {
  word: string;
  startMs: number;
  endMs: number;
}

/** The final result of one utterance. */
export interface SttResult {
  text: string;
  words?: SttWord[];
  language?: string;
  confidence?: number;
}

/** One utterance being recognised: audio in, interim text, then a final result. */
export interface SttStream {
  push(pcm: Int16Array): void;
  /** The best hypothesis so far ('' when none). */
  interim(): string;
  /**
   * Ends the utterance and returns the final result: at once for a local
   * recogniser, as a promise for a batch (cloud) one, which sees the audio
   * only now. A rejection drops the utterance and counts as an engine error.
   */
  finish(): SttResult | Promise<SttResult>;
  /** Drops the utterance. */
  cancel(): void;
}

/** A speech recogniser fed with the VAD's speech segments (plus prefix padding). */
export interface Stt {
  readonly label: string;
  readonly language?: string;
  /** Starts an utterance; at most one is open at a time. */
  createStream(): SttStream;
}
