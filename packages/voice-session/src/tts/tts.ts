/** A word of synthesised speech and where its audio starts. */
export interface TtsWord {
  text: string;
  startMs: number;
}

/** Synthesised speech: 16 kHz mono PCM16 plus word timings. */
export interface TtsAudio {
  pcm: Int16Array;
  words: TtsWord[];
  /** True when the timings were estimated rather than reported by the engine. */
  estimatedTimings: boolean;
}

/** A speech synthesiser; the session calls it once per sentence. */
export interface Tts {
  readonly label: string;
  synthesize(text: string, options?: { signal?: AbortSignal }): Promise<TtsAudio>;
  /** Ends what the engine keeps between sentences (e.g. a warm process); optional. */
  close?(): void;
}
