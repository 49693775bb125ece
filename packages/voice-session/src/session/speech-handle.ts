import { FRAME_SAMPLES, concatPcm, samplesToMs } from '../audio/pcm.js';
import type { TtsWord } from '../tts/tts.js';

/** Why the agent speaks. */
export type SpeechSource = 'say' | 'generate_reply';

interface Segment {
  /** The model's text of this sentence (what the history keeps). */
  text: string;
  /** Where its audio starts in the speech. */
  startSample: number;
  /** Word timings of the spoken (transformed) text, relative to the segment. */
  words: TtsWord[];
}

/**
 * One agent utterance (a `say()` or a reply): its audio as it is synthesised,
 * sentence by sentence, and how much of it has played. Playout pulls 20 ms
 * frames; an interruption keeps what was spoken for the history.
 */
export class SpeechHandle {
  readonly id: string;
  readonly source: SpeechSource;
  readonly allowInterruptions: boolean;
  runId: string | undefined;
  /** The model's whole text so far (the run's assistant message). */
  modelText = '';
  #audio: Int16Array = new Int16Array(0);
  readonly #segments: Segment[] = [];
  #played = 0;
  paused = false;
  interrupted = false;
  /** A preemptive reply not yet confirmed by the end of the user's turn: it does not play. */
  held = false;
  /** A preemptive reply the user spoke past: it never plays and leaves nothing behind. */
  withdrawn = false;
  /** The agent-core run of a reply (to confirm or withdraw a preemptive one). */
  run: { confirm(): void; withdraw(): boolean } | undefined;
  /** No more audio will come (the text is complete and synthesised, or it failed). */
  complete = false;
  started = false;
  finished = false;

  constructor(id: string, source: SpeechSource, allowInterruptions: boolean) {
    this.id = id;
    this.source = source;
    this.allowInterruptions = allowInterruptions;
  }

  /** Adds one synthesised sentence. */
  append(text: string, pcm: Int16Array, words: TtsWord[]): void {
    this.#segments.push({ text, startSample: this.#audio.length, words });
    this.#audio = concatPcm([this.#audio, pcm]);
  }

  /** Audio ready to play beyond what was played. */
  get bufferedSamples(): number {
    return this.#audio.length - this.#played;
  }

  get totalMs(): number {
    return samplesToMs(this.#audio.length);
  }

  /** The next 20 ms of audio (zero-padded at the end), or undefined when none is ready. */
  takeFrame(): Int16Array | undefined {
    if (this.bufferedSamples <= 0) return undefined;
    const frame = new Int16Array(FRAME_SAMPLES);
    frame.set(this.#audio.subarray(this.#played, this.#played + FRAME_SAMPLES));
    this.#played = Math.min(this.#audio.length, this.#played + FRAME_SAMPLES);
    return frame;
  }

  /** True once every sample of a complete speech has played. */
  get playedOut(): boolean {
    return this.complete && this.#played >= this.#audio.length;
  }

  get spokenMs(): number {
    return Math.round(samplesToMs(this.#played));
  }

  /**
   * The model's text as far as it was spoken: whole sentences that started
   * playing, the last one cut after the words whose audio had started (by
   * count, so a filtered emoji or `**` does not shift the cut).
   */
  spokenText(): string {
    const out: string[] = [];
    for (const segment of this.#segments) {
      if (segment.startSample >= this.#played) break;
      const playedMs = samplesToMs(this.#played - segment.startSample);
      const spoken = segment.words.filter((word) => word.startMs < playedMs).length;
      const words = segment.text.split(/\s+/).filter(Boolean);
      out.push(spoken >= segment.words.length ? segment.text : words.slice(0, spoken).join(' '));
    }
    return out.join(' ').trim();
  }
}
