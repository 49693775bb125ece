import { describe, expect, it } from 'vitest';
import { SAMPLE_RATE } from '../audio/pcm.js';
import {
  CLOUD_VOICE_DEFAULTS,
  CLOUD_VOICE_PROVIDERS,
  createCloudStt,
  createCloudTts,
} from './cloud-voice-providers.js';

/**
 * Opt-in, against the real vendors: each provider speaks a sentence with its
 * TTS and hears it back with its STT. Skipped unless the vendor's key is set,
 * e.g. `DEEPGRAM_API_KEY=… npx vitest run src/cloud/live-cloud-voice.test.ts`
 * in packages/voice-session. Costs a few cents of API usage per run.
 */
describe('cloud voice providers, live', () => {
  for (const provider of CLOUD_VOICE_PROVIDERS) {
    const env = CLOUD_VOICE_DEFAULTS[provider].apiKeyEnv;
    it.skipIf(!process.env[env])(
      `${provider}: speaks a sentence and hears it back (skipped unless ${env} is set)`,
      async () => {
        const tts = await createCloudTts({ provider });
        const stt = await createCloudStt({ provider });
        const audio = await tts.synthesize('The weather in Paris is sunny today.');
        expect(audio.pcm.length / SAMPLE_RATE).toBeGreaterThan(1);
        const stream = stt.createStream();
        stream.push(audio.pcm);
        const heard = await stream.finish();
        expect(heard.text.toLowerCase()).toMatch(/weather.*paris.*sunny/);
      },
      60_000,
    );
  }
});
