import { VOICE_MODES, VOICE_PROVIDERS, type ConfigFile } from './config-file-schema.js';
import type { ConfigKey } from './config-keys.js';
import type { ConfigSetting, ConfigSource } from './switchboard-config.js';

/** `voice.mode`: `off`, `offline` (the offline stack by default) or `cloud` (OpenAI by default). */
export type VoiceMode = (typeof VOICE_MODES)[number];
/** An STT or TTS engine: `offline` or a cloud vendor. */
export type VoiceProviderName = (typeof VOICE_PROVIDERS)[number];
/** The cloud vendors (each an optional peer dependency of `@switchboard/voice-session`). */
export type CloudVoiceProviderName = Exclude<VoiceProviderName, 'offline'>;

/** One voice engine, resolved: the offline one, or a cloud vendor with its model, URL and key. */
export type VoiceEngineConfig =
  | { provider: 'offline' }
  | {
      provider: CloudVoiceProviderName;
      /** The vendor's model id; `undefined`: the engine's default. */
      model?: string;
      /** TTS only: the vendor's voice name or id. */
      voice?: string;
      /** An origin replacing the vendor's (a proxy, a stand-in); the vendor's paths are kept. */
      baseUrl?: string;
      /** The vendor's key (a secret); `undefined` when none is configured. */
      apiKey?: string;
      /** Where the key is configured, for an error that says what to set when it is missing. */
      apiKeySetting: { key: ConfigKey; env: string };
    };

/** The voice section of the configuration: plain data, engines built by `@switchboard/voice-session`. */
export interface VoiceConfig {
  mode: VoiceMode;
  /** Phrases the offline recogniser expects; empty: its generic model. */
  phrases: string[];
  stt: VoiceEngineConfig;
  tts: VoiceEngineConfig;
}

/** Where each cloud vendor's key is configured. */
export const VOICE_KEY_SETTINGS: Readonly<
  Record<CloudVoiceProviderName, { key: ConfigKey; env: string }>
> = {
  openai: { key: 'providers.openai.apiKey', env: 'OPENAI_API_KEY' },
  deepgram: { key: 'providers.deepgram.apiKey', env: 'DEEPGRAM_API_KEY' },
  elevenlabs: { key: 'providers.elevenlabs.apiKey', env: 'ELEVENLABS_API_KEY' },
};

/** The loader's picker: a key's value from flag, variable, files or nothing, with its source. */
export type PickSetting = <T>(
  key: ConfigKey,
  fromFile: (data: ConfigFile) => T | undefined,
  fromText: (text: string) => T,
) => { value: T | undefined; source: ConfigSource };

type VoiceKey = Extract<ConfigKey, `voice.${string}`>;

/**
 * Resolves the `voice.*` keys. An unset provider follows the mode (`cloud`:
 * `openai`, else `offline`); a cloud engine gets its vendor's key from
 * `keys` (the already resolved `providers.<vendor>.apiKey` values).
 */
export function resolveVoiceConfig(
  pick: PickSetting,
  keys: Readonly<Record<CloudVoiceProviderName, string | undefined>>,
): { voice: VoiceConfig; settings: Record<VoiceKey, ConfigSetting> } {
  const text = (value: string) => value;
  // Already checked against the key's rule, so the text is one of the listed values.
  const oneOf =
    <T extends string>(values: readonly T[]) =>
    (value: string): T =>
      values.find((known) => known === value) ?? values[0]!;

  const mode = pick('voice.mode', (data) => data.voice?.mode, oneOf(VOICE_MODES));
  const phrases = pick('voice.phrases', (data) => data.voice?.phrases, splitPhrases);
  const modeValue = mode.value ?? 'off';
  const fallbackProvider: VoiceProviderName = modeValue === 'cloud' ? 'openai' : 'offline';
  const sttProvider = pick(
    'voice.stt.provider',
    (data) => data.voice?.stt?.provider,
    oneOf(VOICE_PROVIDERS),
  );
  const sttModel = pick('voice.stt.model', (data) => data.voice?.stt?.model, text);
  const sttUrl = pick('voice.stt.baseUrl', (data) => data.voice?.stt?.baseUrl, text);
  const ttsProvider = pick(
    'voice.tts.provider',
    (data) => data.voice?.tts?.provider,
    oneOf(VOICE_PROVIDERS),
  );
  const ttsModel = pick('voice.tts.model', (data) => data.voice?.tts?.model, text);
  const ttsVoice = pick('voice.tts.voice', (data) => data.voice?.tts?.voice, text);
  const ttsUrl = pick('voice.tts.baseUrl', (data) => data.voice?.tts?.baseUrl, text);

  function engine(
    provider: VoiceProviderName,
    { model, baseUrl, voice }: { model?: string; baseUrl?: string; voice?: string },
  ): VoiceEngineConfig {
    if (provider === 'offline') return { provider };
    const apiKey = keys[provider];
    return {
      provider,
      ...(model === undefined ? {} : { model }),
      ...(voice === undefined ? {} : { voice }),
      ...(baseUrl === undefined ? {} : { baseUrl }),
      ...(apiKey === undefined ? {} : { apiKey }),
      apiKeySetting: VOICE_KEY_SETTINGS[provider],
    };
  }

  const stt = sttProvider.value ?? fallbackProvider;
  const tts = ttsProvider.value ?? fallbackProvider;
  return {
    voice: {
      mode: modeValue,
      phrases: phrases.value ?? [],
      stt: engine(stt, { model: sttModel.value, baseUrl: sttUrl.value }),
      tts: engine(tts, { model: ttsModel.value, baseUrl: ttsUrl.value, voice: ttsVoice.value }),
    },
    settings: {
      'voice.mode': { ...mode, value: modeValue },
      'voice.phrases': { ...phrases, value: phrases.value ?? [] },
      'voice.stt.provider': { ...sttProvider, value: stt },
      'voice.stt.model': sttModel,
      'voice.stt.baseUrl': sttUrl,
      'voice.tts.provider': { ...ttsProvider, value: tts },
      'voice.tts.model': ttsModel,
      'voice.tts.voice': ttsVoice,
      'voice.tts.baseUrl': ttsUrl,
    },
  };
}

/** `a | b` → `['a', 'b']` (already checked by the key's rule). */
function splitPhrases(text: string): string[] {
  return text
    .split('|')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** A cloud engine without a key: loads, but a voice session with it fails; `doctor` says so. */
export function voiceKeyWarnings(voice: VoiceConfig): string[] {
  const warnings: string[] = [];
  for (const [kind, engine] of [
    ['voice.stt', voice.stt],
    ['voice.tts', voice.tts],
  ] as const) {
    if (engine.provider !== 'offline' && engine.apiKey === undefined)
      warnings.push(
        `${kind}.provider is ${engine.provider} but no key is set; set ${engine.apiKeySetting.env} or "${engine.apiKeySetting.key}".`,
      );
  }
  return warnings;
}
