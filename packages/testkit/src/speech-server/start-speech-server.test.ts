import { createDeepgram } from '@ai-sdk/deepgram';
import { createElevenLabs } from '@ai-sdk/elevenlabs';
import { createOpenAI } from '@ai-sdk/openai';
import {
  experimental_generateSpeech as generateSpeech,
  experimental_transcribe as transcribe,
} from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, synthesize } from './speech-audio.js';
import { startSpeechServer, type SpeechServer } from './start-speech-server.js';

let server: SpeechServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Sends the vendors' fixed URLs to the stand-in (Deepgram and ElevenLabs take no base URL). */
const toStandIn =
  (origin: string): typeof fetch =>
  (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    return fetch(`${origin}${url.pathname}${url.search}`, init);
  };

const providers = (origin: string) => ({
  openai: createOpenAI({ apiKey: 'sk-secret', baseURL: `${origin}/v1` }),
  deepgram: createDeepgram({ apiKey: 'dg-secret', fetch: toStandIn(origin) }),
  elevenlabs: createElevenLabs({ apiKey: 'el-secret', fetch: toStandIn(origin) }),
});

const clip = async () => {
  const audio = await synthesize('hello there', 'espeak');
  return new Uint8Array(encodeWav(audio.pcm, audio.sampleRate));
};

describe('startSpeechServer', () => {
  it('answers each vendor transcription request, as its AI SDK provider sends and parses it', async () => {
    server = await startSpeechServer({
      transcripts: [
        { text: 'hello there' },
        { text: 'general kenobi' },
        { text: 'you are a bold one' },
      ],
    });
    const p = providers(server.origin);
    const audio = await clip();
    const openai = await transcribe({ model: p.openai.transcription('whisper-1'), audio });
    const deepgram = await transcribe({ model: p.deepgram.transcription('nova-3'), audio });
    const eleven = await transcribe({ model: p.elevenlabs.transcription('scribe_v1'), audio });
    expect([openai.text, deepgram.text, eleven.text]).toEqual([
      'hello there',
      'general kenobi',
      'you are a bold one',
    ]);
    expect(deepgram.segments.map((s) => s.text)).toEqual(['general', 'kenobi']);
    expect(eleven.language).toBe('en');
    const [a, b, c] = server.requests;
    expect(a).toMatchObject({
      vendor: 'openai',
      path: '/v1/audio/transcriptions',
      fields: { model: 'whisper-1' },
    });
    expect(a!.audio).toMatchObject({ mediaType: 'audio/wav', fileName: 'audio.wav' });
    expect(a!.audio!.wav!.durationMs).toBeGreaterThan(300);
    expect(b).toMatchObject({ vendor: 'deepgram', path: '/v1/listen', query: { model: 'nova-3' } });
    expect(b!.audio!.bytes).toBe(audio.length);
    expect(c).toMatchObject({
      vendor: 'elevenlabs',
      path: '/v1/speech-to-text',
      fields: { model_id: 'scribe_v1' },
    });
    // Credentials never reach the record.
    expect(JSON.stringify(server.requests)).not.toMatch(/secret/);
    expect(a!.headers.authorization).toBe('***');
    expect(c!.headers['xi-api-key']).toBe('***');
  });

  it('speaks the text in the format each vendor was asked for (WAV or raw PCM16)', async () => {
    server = await startSpeechServer();
    const p = providers(server.origin);
    const text = 'The weather is sunny.';
    const openai = await generateSpeech({
      model: p.openai.speech('tts-1'),
      text,
      outputFormat: 'wav',
    });
    const deepgram = await generateSpeech({
      model: p.deepgram.speech('aura-2-thalia-en'),
      text,
      outputFormat: 'linear16_16000',
    });
    const eleven = await generateSpeech({
      model: p.elevenlabs.speech('eleven_flash_v2_5'),
      text,
      outputFormat: 'pcm_16000',
    });
    const wav24 = decodeWav(Buffer.from(openai.audio.uint8Array));
    expect(wav24.sampleRate).toBe(24_000);
    expect(wav24.pcm.length / 24_000).toBeGreaterThan(0.8);
    expect(decodeWav(Buffer.from(deepgram.audio.uint8Array)).sampleRate).toBe(16_000);
    // Raw PCM16 at 16 kHz: about as long as the WAV at 24 kHz.
    expect(eleven.audio.uint8Array.length / 2 / 16_000).toBeCloseTo(wav24.pcm.length / 24_000, 1);
    expect(server.requests.map((r) => [r.vendor, r.path, r.text])).toEqual([
      ['openai', '/v1/audio/speech', text],
      ['deepgram', '/v1/speak', text],
      ['elevenlabs', '/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM', text],
    ]);
    expect(server.requests[1]!.query).toMatchObject({ encoding: 'linear16', sample_rate: '16000' });
    expect(server.requests[2]!.query).toEqual({ output_format: 'pcm_16000' });
  });

  it('refuses mp3, a wrong key and scripted failures with the vendor status and retry-after', async () => {
    server = await startSpeechServer({
      apiKey: 'dg-secret',
      transcripts: [{ error: { status: 429, retryAfterMs: 5 } }, { text: 'ok' }],
    });
    const p = providers(server.origin);
    const spoken = generateSpeech({ model: p.deepgram.speech('aura-2-thalia-en'), text: 'hi' });
    // Deepgram's own error shape ({ err_code, err_msg }) is not what the provider parses: it keeps it as the body.
    await expect(spoken).rejects.toMatchObject({
      statusCode: 400,
      responseBody: expect.stringMatching(/not mp3/),
    });
    await expect(
      transcribe({ model: p.openai.transcription('whisper-1'), audio: await clip() }),
    ).rejects.toThrow();
    expect(server.requests).toHaveLength(1); // the 401 is answered before anything is recorded
    const retried = await transcribe({
      model: p.deepgram.transcription('nova-3'),
      audio: await clip(),
    });
    expect(retried.text).toBe('ok');
    expect(server.requests.slice(1).map((r) => r.status)).toEqual([429, 200]);
  });
});
