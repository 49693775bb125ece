import type { VoiceConfig, VoiceEngineConfig } from '@switchboard/agent-core/config';
import { VoiceError } from '../errors/voice-error.js';
import { PocketsphinxStt } from '../stt/pocketsphinx-stt.js';
import type { Stt } from '../stt/stt.js';
import { EspeakTts } from '../tts/espeak-tts.js';
import type { Tts } from '../tts/tts.js';
import { SileroVad } from '../vad/silero-vad.js';
import type { Vad } from '../vad/vad.js';
import {
  createCloudStt,
  createCloudTts,
  type CloudVoiceExtras,
  type CloudVoiceOptions,
} from './cloud-voice-providers.js';

/** The engines a {@link VoiceSession} takes, built from configuration. */
export interface VoiceEngines {
  vad: Vad;
  stt: Stt;
  tts: Tts;
}

/**
 * Builds the engines the loaded configuration names (`config.voice` of
 * `loadConfig` in `@switchboard/agent-core/config`): Silero VAD always;
 * pocketsphinx (with the configured phrases) or a cloud STT; espeak-ng or a
 * cloud TTS. The CLI and the web app both build theirs here.
 *
 * A cloud engine without a key throws `VOICE_ENGINE_UNAVAILABLE` naming the
 * variable to set (`details.variable`), before anything is loaded.
 *
 * ```ts
 * const config = await loadConfig();
 * const { vad, stt, tts } = await createVoiceEngines(config.voice);
 * ```
 */
export async function createVoiceEngines(
  voice: Pick<VoiceConfig, 'phrases' | 'stt' | 'tts'>,
  extras: CloudVoiceExtras = {},
): Promise<VoiceEngines> {
  const stt = cloudOptions(voice.stt, 'speech-to-text');
  const tts = cloudOptions(voice.tts, 'text-to-speech');
  return {
    vad: await SileroVad.load(),
    stt: stt
      ? await createCloudStt(stt, extras)
      : PocketsphinxStt.load(voice.phrases.length > 0 ? { phrases: voice.phrases } : {}),
    tts: tts ? await createCloudTts(tts, extras) : new EspeakTts(),
  };
}

/** A cloud engine's options, `undefined` for the offline one; throws when its key is missing. */
function cloudOptions(engine: VoiceEngineConfig, what: string): CloudVoiceOptions | undefined {
  if (engine.provider === 'offline') return undefined;
  const { provider, apiKey, apiKeySetting } = engine;
  if (apiKey === undefined)
    throw new VoiceError({
      code: 'VOICE_ENGINE_UNAVAILABLE',
      message: `The ${provider} ${what} needs an API key: set ${apiKeySetting.env} (or "${apiKeySetting.key}" in the home switchboard.config.json), or use the offline engine.`,
      details: { provider, variable: apiKeySetting.env, key: apiKeySetting.key },
    });
  return {
    provider,
    apiKey,
    ...(engine.model === undefined ? {} : { model: engine.model }),
    ...(engine.voice === undefined ? {} : { voice: engine.voice }),
    ...(engine.baseUrl === undefined ? {} : { baseURL: engine.baseUrl }),
  };
}
