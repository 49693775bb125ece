import { describe, expect, it } from 'vitest';
import { createVoiceEndpoint } from './voice-endpoint.js';

describe('createVoiceEndpoint', () => {
  it('is off when the configuration says so (nothing is loaded)', async () => {
    const endpoint = await createVoiceEndpoint({
      mode: 'off',
      phrases: [],
      stt: { provider: 'offline' },
      tts: { provider: 'offline' },
    });
    expect(endpoint).toBeUndefined();
  });

  it('a cloud engine without its key fails at start, naming the variable', async () => {
    await expect(
      createVoiceEndpoint({
        mode: 'cloud',
        phrases: [],
        stt: { provider: 'offline' },
        tts: {
          provider: 'elevenlabs',
          apiKeySetting: { key: 'providers.elevenlabs.apiKey', env: 'ELEVENLABS_API_KEY' },
        },
      }),
    ).rejects.toMatchObject({
      code: 'VOICE_ENGINE_UNAVAILABLE',
      message: expect.stringContaining('set ELEVENLABS_API_KEY'),
      details: { provider: 'elevenlabs', variable: 'ELEVENLABS_API_KEY' },
    });
  });
});
