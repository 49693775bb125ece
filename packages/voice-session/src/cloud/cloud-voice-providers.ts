import type { SpeechModelV3, TranscriptionModelV3 } from '@ai-sdk/provider';
import { z } from 'zod';
import { parseVoiceOptions } from '../errors/parse-voice-options.js';
import { VoiceError } from '../errors/voice-error.js';
import { AiSdkStt, type AiSdkSttOptions } from '../stt/ai-sdk-stt.js';
import { AiSdkTts, type AiSdkTtsOptions } from '../tts/ai-sdk-tts.js';

/** The cloud vendors wired by name (each an optional peer dependency: `@ai-sdk/<name>`). */
export const CLOUD_VOICE_PROVIDERS = ['openai', 'deepgram', 'elevenlabs'] as const;
export type CloudVoiceProvider = (typeof CLOUD_VOICE_PROVIDERS)[number];

/** Choosing a cloud STT or TTS by name, as configuration does. */
export const cloudVoiceOptionsSchema = z.strictObject({
  provider: z.enum(CLOUD_VOICE_PROVIDERS),
  /** The vendor's model id; each provider has a default (see {@link CLOUD_VOICE_DEFAULTS}). */
  model: z.string().min(1).optional(),
  /** API key; defaults to the provider's environment variable (`OPENAI_API_KEY`, …). */
  apiKey: z.string().min(1).optional(),
  /**
   * Origin that replaces the vendor's (`http://127.0.0.1:4010`): a proxy, a
   * self-hosted endpoint, or the testkit stand-in. Paths stay the vendor's.
   */
  baseURL: z.url().optional(),
  /** TTS voice (OpenAI voice name, ElevenLabs voice id). */
  voice: z.string().min(1).optional(),
  language: z.string().min(2).optional(),
});
export type CloudVoiceOptions = z.input<typeof cloudVoiceOptionsSchema>;

/** Default models, and the audio format each vendor is asked for (all decodable here). */
export const CLOUD_VOICE_DEFAULTS = {
  openai: {
    sttModel: 'gpt-4o-mini-transcribe',
    ttsModel: 'gpt-4o-mini-tts',
    voice: 'alloy',
    outputFormat: 'wav',
    pcmSampleRate: 24_000,
    apiKeyEnv: 'OPENAI_API_KEY',
  },
  deepgram: {
    sttModel: 'nova-3',
    ttsModel: 'aura-2-thalia-en',
    voice: undefined,
    outputFormat: 'linear16_16000',
    pcmSampleRate: 16_000,
    apiKeyEnv: 'DEEPGRAM_API_KEY',
  },
  elevenlabs: {
    sttModel: 'scribe_v1',
    ttsModel: 'eleven_flash_v2_5',
    voice: undefined,
    outputFormat: 'pcm_16000',
    pcmSampleRate: 16_000,
    apiKeyEnv: 'ELEVENLABS_API_KEY',
  },
} as const satisfies Record<CloudVoiceProvider, Record<string, string | number | undefined>>;

/** What the factories accept besides the parsed options (not configuration: code only). */
export interface CloudVoiceExtras {
  /** A fetch to use instead of the global one (proxies, tests). */
  fetch?: typeof globalThis.fetch;
}

interface Provider {
  transcription(modelId: string): TranscriptionModelV3;
  speech(modelId: string): SpeechModelV3;
}

/** A cloud STT by name: `await createCloudStt({ provider: 'deepgram' })`. */
export async function createCloudStt(
  input: CloudVoiceOptions,
  extras: CloudVoiceExtras & Omit<AiSdkSttOptions, 'language'> = {},
): Promise<AiSdkStt> {
  const options = parseVoiceOptions(cloudVoiceOptionsSchema, input, 'cloud STT');
  const { fetch, ...sttOptions } = extras;
  const provider = await loadProvider(options, fetch);
  const model = provider.transcription(
    options.model ?? CLOUD_VOICE_DEFAULTS[options.provider].sttModel,
  );
  return new AiSdkStt(model, {
    ...sttOptions,
    ...(options.language ? { language: options.language } : {}),
  });
}

/** A cloud TTS by name, asking the vendor for audio the session decodes (WAV or PCM16). */
export async function createCloudTts(
  input: CloudVoiceOptions,
  extras: CloudVoiceExtras & Omit<AiSdkTtsOptions, 'voice' | 'language'> = {},
): Promise<AiSdkTts> {
  const options = parseVoiceOptions(cloudVoiceOptionsSchema, input, 'cloud TTS');
  const { fetch, ...ttsOptions } = extras;
  const defaults = CLOUD_VOICE_DEFAULTS[options.provider];
  const provider = await loadProvider(options, fetch);
  const model = provider.speech(options.model ?? defaults.ttsModel);
  const voice = options.voice ?? defaults.voice;
  return new AiSdkTts(model, {
    outputFormat: defaults.outputFormat,
    pcmSampleRate: defaults.pcmSampleRate,
    ...ttsOptions,
    ...(voice ? { voice } : {}),
    ...(options.language ? { language: options.language } : {}),
  });
}

async function loadProvider(
  options: z.output<typeof cloudVoiceOptionsSchema>,
  fetch: typeof globalThis.fetch | undefined,
): Promise<Provider> {
  const { provider: name, apiKey, baseURL } = options;
  const env = CLOUD_VOICE_DEFAULTS[name].apiKeyEnv;
  if (!apiKey && !process.env[env])
    throw new VoiceError({
      code: 'VOICE_ENGINE_UNAVAILABLE',
      message: `The ${name} voice provider needs an API key: pass apiKey or set ${env}.`,
      details: { provider: name },
    });
  const fetchVia = baseURL ? rebase(baseURL, fetch ?? globalThis.fetch) : fetch;
  const settings = { ...(apiKey ? { apiKey } : {}), ...(fetchVia ? { fetch: fetchVia } : {}) };
  try {
    if (name === 'openai') return (await import('@ai-sdk/openai')).createOpenAI(settings);
    if (name === 'deepgram') return (await import('@ai-sdk/deepgram')).createDeepgram(settings);
    return (await import('@ai-sdk/elevenlabs')).createElevenLabs(settings);
  } catch (error) {
    throw new VoiceError({
      code: 'VOICE_ENGINE_UNAVAILABLE',
      message: `The ${name} voice provider needs the optional package @ai-sdk/${name}: install it next to @switchboard/voice-session.`,
      details: { provider: name },
      cause: error,
    });
  }
}

/** A fetch that sends the vendor's URLs to `baseURL`'s origin, keeping path and query. */
function rebase(baseURL: string, fetch: typeof globalThis.fetch): typeof globalThis.fetch {
  const origin = new URL(baseURL).origin;
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    return fetch(`${origin}${url.pathname}${url.search}`, init);
  };
}
