import type { Tts } from '../tts/tts.js';
import {
  applyTextTransforms,
  type TextTransform,
  type TextTransformName,
} from '../tts/text-transforms.js';
import type { SpeechHandle } from './speech-handle.js';

/** What sentence synthesis reports back to the session. */
export interface SynthesisHost {
  readonly tts: Tts;
  readonly transforms: readonly (TextTransformName | TextTransform)[];
  /** Wall-clock ms (performance.now) of the first audio of a speech, for metrics. */
  onFirstAudio(speech: SpeechHandle, wallMs: number): void;
  onTtsError(speech: SpeechHandle, error: unknown): void;
}

/** Sentence ends: `.`, `!` or `?` (runs of them) followed by white space. */
const SENTENCE_END = /[.!?]+\s+/g;

/**
 * Feeds a speech with audio sentence by sentence, in order, so the first
 * sentence plays while the model still writes the next (LiveKit's sentence
 * tokenizer over a batch TTS). The text given is the model's; the TTS gets
 * it through the text transforms.
 */
export class SpeechSynthesis {
  readonly #host: SynthesisHost;
  readonly #speech: SpeechHandle;
  readonly #abort = new AbortController();
  #buffer = '';
  #chain: Promise<void> = Promise.resolve();
  #failed = false;
  #gotAudio = false;

  constructor(host: SynthesisHost, speech: SpeechHandle) {
    this.#host = host;
    this.#speech = speech;
  }

  /** Adds streamed text; complete sentences are queued for synthesis. */
  push(text: string): void {
    this.#buffer += text;
    let cut = 0;
    for (const match of this.#buffer.matchAll(SENTENCE_END)) {
      this.#queue(this.#buffer.slice(cut, match.index + match[0].length));
      cut = match.index + match[0].length;
    }
    this.#buffer = this.#buffer.slice(cut);
  }

  /** Synthesises the text so far, sentence or not; resolves once it has audio. */
  flush(): Promise<void> {
    if (this.#buffer.trim()) this.#queue(this.#buffer);
    this.#buffer = '';
    return this.#chain;
  }

  /** No more text: synthesises the rest and resolves once every sentence has audio. */
  async end(): Promise<void> {
    await this.flush();
  }

  /** Stops synthesis (an interrupted speech). */
  abort(): void {
    this.#abort.abort();
  }

  #queue(sentence: string): void {
    const text = sentence.trim();
    if (!text) return;
    this.#chain = this.#chain.then(() => this.#synthesize(text));
  }

  async #synthesize(text: string): Promise<void> {
    const speech = this.#speech;
    if (this.#failed || speech.interrupted || this.#abort.signal.aborted) return;
    const spoken = applyTextTransforms(text, this.#host.transforms);
    if (!spoken) return;
    const started = performance.now();
    try {
      const audio = await this.#host.tts.synthesize(spoken, { signal: this.#abort.signal });
      if (speech.interrupted) return;
      if (!this.#gotAudio) this.#host.onFirstAudio(speech, performance.now() - started);
      this.#gotAudio = true;
      speech.append(text, audio.pcm, audio.words);
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      this.#failed = true;
      this.#host.onTtsError(speech, error);
    }
  }
}
