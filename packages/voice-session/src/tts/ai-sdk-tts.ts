import type { JSONObject, SpeechModelV3 } from '@ai-sdk/provider';
import { z } from 'zod';
import { callCloud, cloudRetrySchema } from '../cloud/cloud-call.js';
import { parseVoiceOptions } from '../errors/parse-voice-options.js';
import { decodeSpeechAudio } from './decode-speech-audio.js';
import { estimateWordTimings } from './espeak-tts.js';
import type { Tts, TtsAudio } from './tts.js';

/** Options of {@link AiSdkTts}. */
export const aiSdkTtsOptionsSchema = z.strictObject({
  /** Shown in errors; defaults to `provider/modelId`. */
  label: z.string().min(1).optional(),
  /** The vendor's voice (OpenAI `alloy`, an ElevenLabs voice id; Deepgram's is in the model id). */
  voice: z.string().min(1).optional(),
  /**
   * The vendor format to ask for: one the session can decode, WAV or raw PCM16
   * (OpenAI `wav`/`pcm`, Deepgram `linear16_16000`, ElevenLabs `pcm_16000`).
   */
  outputFormat: z.string().min(1).default('wav'),
  /** Sample rate of a headerless PCM answer (OpenAI `pcm` is 24000). */
  pcmSampleRate: z.number().int().min(8_000).max(48_000).default(24_000),
  speed: z.number().min(0.25).max(4).optional(),
  /** Style instructions (OpenAI `gpt-4o-mini-tts`). */
  instructions: z.string().max(4_000).optional(),
  language: z.string().min(2).optional(),
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  /** Longest sentence sent in one request (vendors limit it: OpenAI 4096 characters). */
  maxTextChars: z.number().int().min(1).max(100_000).default(4_096),
  retry: cloudRetrySchema.default({ maxRetries: 2, initialDelayMs: 500, maxDelayMs: 10_000 }),
});
export type AiSdkTtsOptions = z.input<typeof aiSdkTtsOptionsSchema>;

/**
 * A speech synthesiser over an AI SDK speech model (OpenAI, Deepgram,
 * ElevenLabs, …). Each sentence is one request for WAV or raw PCM, decoded and
 * resampled to 16 kHz; word timings are estimated from the audio (the batch
 * APIs report none). HTTP failures are retried (429, 5xx) and end as
 * `VOICE_TTS_FAILED` with the status in `details`.
 */
export class AiSdkTts implements Tts {
  readonly label: string;
  readonly #model: SpeechModelV3;
  readonly #options: z.output<typeof aiSdkTtsOptionsSchema>;

  constructor(model: SpeechModelV3, options: AiSdkTtsOptions = {}) {
    this.#model = model;
    this.#options = parseVoiceOptions(aiSdkTtsOptionsSchema, options, 'AiSdkTts');
    this.label = this.#options.label ?? `${model.provider}/${model.modelId}`;
  }

  async synthesize(text: string, options: { signal?: AbortSignal } = {}): Promise<TtsAudio> {
    const { voice, outputFormat, speed, instructions, language, providerOptions, retry } =
      this.#options;
    const input = text.slice(0, this.#options.maxTextChars);
    const result = await callCloud(
      (abortSignal) =>
        this.#model.doGenerate({
          text: input,
          outputFormat,
          ...(voice ? { voice } : {}),
          ...(speed === undefined ? {} : { speed }),
          ...(instructions ? { instructions } : {}),
          ...(language ? { language } : {}),
          ...(providerOptions
            ? { providerOptions: providerOptions as Record<string, JSONObject> }
            : {}),
          ...(abortSignal ? { abortSignal } : {}),
        }),
      {
        code: 'VOICE_TTS_FAILED',
        label: this.label,
        retry,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    const bytes =
      typeof result.audio === 'string' ? Buffer.from(result.audio, 'base64') : result.audio;
    const pcm = decodeSpeechAudio(bytes, this.#options.pcmSampleRate);
    return { pcm, words: estimateWordTimings(input, pcm), estimatedTimings: true };
  }
}
