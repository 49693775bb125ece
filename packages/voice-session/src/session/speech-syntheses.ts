import type { TextTransform, TextTransformName } from '../tts/text-transforms.js';
import type { Tts } from '../tts/tts.js';
import type { SpeechHandle } from './speech-handle.js';
import { SpeechSynthesis } from './speech-synthesis.js';
import type { WallTimes } from './turn-metrics.js';

/** What {@link SpeechSyntheses} needs from its session. */
export interface SpeechSynthesesInit {
  tts: Tts;
  /** The session's text transforms, read when a synthesis starts. */
  transforms: () => readonly (TextTransformName | TextTransform)[];
  onTtsError(speech: SpeechHandle, error: unknown): void;
}

/**
 * The synthesis of each speech in flight and the wall-clock latencies of
 * its engines (model first token, first audio), kept until the speech ends
 * or is withdrawn; the latencies go into the turn's `voice.metrics`.
 */
export class SpeechSyntheses {
  readonly #init: SpeechSynthesesInit;
  readonly #synthesis = new Map<SpeechHandle, SpeechSynthesis>();
  readonly #wallTimes = new Map<SpeechHandle, WallTimes>();

  constructor(init: SpeechSynthesesInit) {
    this.#init = init;
  }

  /** The speech's synthesis, if it has one. */
  get(speech: SpeechHandle): SpeechSynthesis | undefined {
    return this.#synthesis.get(speech);
  }

  /** Starts a synthesis for `speech` (text is pushed into it as the reply streams). */
  create(speech: SpeechHandle): SpeechSynthesis {
    const synthesis = new SpeechSynthesis(
      {
        tts: this.#init.tts,
        transforms: this.#init.transforms(),
        onFirstAudio: (handle, wallMs) => this.addWallTimes(handle, { ttsFirstAudioMs: wallMs }),
        onTtsError: (handle, error) => this.#init.onTtsError(handle, error),
      },
      speech,
    );
    this.#synthesis.set(speech, synthesis);
    return synthesis;
  }

  /** Stops synthesising the speech (it was interrupted). */
  abort(speech: SpeechHandle): void {
    this.#synthesis.get(speech)?.abort();
  }

  /** The speech ended: forgets its synthesis and latencies. */
  forget(speech: SpeechHandle): void {
    this.#synthesis.delete(speech);
    this.#wallTimes.delete(speech);
  }

  addWallTimes(speech: SpeechHandle, times: WallTimes): void {
    this.#wallTimes.set(speech, { ...this.#wallTimes.get(speech), ...times });
  }

  wallTimes(speech: SpeechHandle): WallTimes {
    return this.#wallTimes.get(speech) ?? {};
  }
}
