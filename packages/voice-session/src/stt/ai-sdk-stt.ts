import type { JSONObject, TranscriptionModelV3 } from '@ai-sdk/provider';
import { z } from 'zod';
import { SAMPLE_RATE, concatPcm, samplesToMs } from '../audio/pcm.js';
import { encodeWav } from '../audio/wav.js';
import { callCloud, cloudRetrySchema } from '../cloud/cloud-call.js';
import { parseVoiceOptions } from '../errors/parse-voice-options.js';
import type { Stt, SttResult, SttStream, SttWord } from './stt.js';

/** Options of {@link AiSdkStt}. */
export const aiSdkSttOptionsSchema = z.strictObject({
  /** Shown in errors and metrics; defaults to `provider/modelId`. */
  label: z.string().min(1).optional(),
  /** The language reported with transcripts when the vendor reports none (BCP 47). */
  language: z.string().min(2).optional(),
  /** Provider options passed through (`{ openai: { language: 'en' } }`). */
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  /** Audio kept per utterance; longer speech is cut (a size limit on the upload). */
  maxUtteranceMs: z.number().int().min(1_000).max(600_000).default(60_000),
  retry: cloudRetrySchema.default({ maxRetries: 2, initialDelayMs: 500, maxDelayMs: 10_000 }),
});
export type AiSdkSttOptions = z.input<typeof aiSdkSttOptionsSchema>;

/**
 * A batch speech recogniser over an AI SDK transcription model (OpenAI,
 * Deepgram, ElevenLabs, …): the VAD's speech segment is collected, sent as a
 * 16 kHz WAV when the segment ends, and the vendor's transcript becomes the
 * final result. No interim text (batch APIs have none). HTTP failures are
 * retried (429, 5xx) and end as `VOICE_STT_FAILED` with the status in
 * `details`.
 */
export class AiSdkStt implements Stt {
  readonly label: string;
  readonly language?: string;
  readonly #model: TranscriptionModelV3;
  readonly #options: z.output<typeof aiSdkSttOptionsSchema>;

  constructor(model: TranscriptionModelV3, options: AiSdkSttOptions = {}) {
    this.#model = model;
    this.#options = parseVoiceOptions(aiSdkSttOptionsSchema, options, 'AiSdkStt');
    this.label = this.#options.label ?? `${model.provider}/${model.modelId}`;
    if (this.#options.language !== undefined) this.language = this.#options.language;
  }

  createStream(): SttStream {
    const frames: Int16Array[] = [];
    const maxSamples = (this.#options.maxUtteranceMs * SAMPLE_RATE) / 1000;
    let samples = 0;
    const abort = new AbortController();
    return {
      push: (pcm) => {
        if (samples >= maxSamples) return;
        frames.push(pcm);
        samples += pcm.length;
      },
      interim: () => '',
      finish: () => this.#transcribe(concatPcm(frames).subarray(0, maxSamples), abort.signal),
      cancel: () => abort.abort(),
    };
  }

  async #transcribe(pcm: Int16Array, signal: AbortSignal): Promise<SttResult> {
    if (pcm.length === 0) return { text: '' };
    const audio = new Uint8Array(encodeWav(pcm, SAMPLE_RATE));
    const { providerOptions, retry } = this.#options;
    const result = await callCloud(
      (abortSignal) =>
        this.#model.doGenerate({
          audio,
          mediaType: 'audio/wav',
          ...(providerOptions
            ? { providerOptions: providerOptions as Record<string, JSONObject> }
            : {}),
          ...(abortSignal ? { abortSignal } : {}),
        }),
      { code: 'VOICE_STT_FAILED', label: this.label, retry, signal },
    );
    const words = wordsOf(result.segments, samplesToMs(pcm.length));
    const language = result.language ?? this.language;
    return {
      text: result.text.trim(),
      ...(words ? { words } : {}),
      ...(language ? { language } : {}),
    };
  }
}

/** Word timings when the vendor's segments are words (Deepgram, ElevenLabs); sentence segments are not. */
function wordsOf(
  segments: readonly { text: string; startSecond: number; endSecond: number }[],
  durationMs: number,
): SttWord[] | undefined {
  const words = segments.filter((segment) => segment.text.trim() !== '');
  if (words.length === 0 || words.some((segment) => /\s/.test(segment.text.trim())))
    return undefined;
  return words.map((segment) => ({
    word: segment.text.trim(),
    startMs: Math.min(durationMs, Math.round(segment.startSecond * 1000)),
    endMs: Math.min(durationMs, Math.round(segment.endSecond * 1000)),
  }));
}
