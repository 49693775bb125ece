import { createOpenAI } from '@ai-sdk/openai';
import { createAgent } from '@switchboard/agent-core';
import type { AnyEvent } from '@switchboard/events';
import {
  startModelServer,
  startSpeechServer,
  type ModelServer,
  type ScriptedTranscript,
  type SpeechServer,
} from '@switchboard/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_SAMPLES, mixAt, toFrames } from '../audio/pcm.js';
import { encodeWav } from '../audio/wav.js';
import { decodeSpeechAudio } from '../tts/decode-speech-audio.js';
import { pumpAudio, TimelineRecorder } from '../io/audio-pump.js';
import { VoiceSession } from '../session/voice-session.js';
import type { VoiceSessionOptions } from '../session/voice-session-options.js';
import { data, finals, userMessages } from '../test-helpers/assertions.js';
import { atMs, clip, loadEngines } from '../test-helpers/voice-harness.js';
import {
  CLOUD_VOICE_PROVIDERS,
  createCloudStt,
  createCloudTts,
  type CloudVoiceProvider,
} from './cloud-voice-providers.js';

const QUESTION = 'what is the weather in paris';
const ANSWER = 'It is sunny in Paris today.';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/**
 * A voice session whose STT and TTS are a cloud vendor's, reached through its
 * AI SDK provider at the testkit stand-in, with the model behind the testkit
 * model server (OpenAI chat protocol): every hop is real HTTP on loopback.
 */
async function cloudSession(
  [stt, tts]: [CloudVoiceProvider, CloudVoiceProvider],
  transcripts: ScriptedTranscript[],
  setup: { options?: VoiceSessionOptions; keys?: { server?: string; client?: string } } = {},
) {
  const { options = {}, keys = {} } = setup;
  const speech: SpeechServer = await startSpeechServer({
    transcripts,
    ...(keys.server ? { apiKey: keys.server } : {}),
  });
  const models: ModelServer = await startModelServer({ script: () => ({ text: ANSWER }) });
  closers.push(
    () => speech.close(),
    () => models.close(),
  );
  const agent = createAgent({
    name: 'voice',
    model: createOpenAI({ baseURL: models.baseUrl, apiKey: 'sk-model' }).chat('test-model'),
    instructions: 'You are a voice assistant.',
    titles: { enabled: false },
  });
  closers.push(() => agent.close());
  const events: AnyEvent[] = [];
  agent.bus.on('*', (event) => events.push(event));
  const { vad } = await loadEngines();
  const cloud = (provider: CloudVoiceProvider) => ({
    provider,
    apiKey: keys.client ?? 'vendor-key',
    baseURL: speech.origin,
  });
  const retry = { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 1_000 };
  const output = new TimelineRecorder();
  const session = new VoiceSession({
    bus: agent.bus,
    agentSession: await agent.createSession(),
    vad,
    stt: await createCloudStt(cloud(stt), { retry }),
    tts: await createCloudTts(cloud(tts), { retry }),
    output,
    options,
  });
  closers.push(() => Promise.resolve(session.close()));
  return { session, events, speech, models, vad, output };
}

// Loading the VAD and the first espeak-ng run take seconds on a loaded machine: not a test's time.
beforeAll(() => loadEngines(), 60_000);

// Each turn is three HTTP services and real engines: generous on a loaded 2-core machine.
describe(
  'cloud STT and TTS through the AI SDK, against the vendor stand-ins',
  { timeout: 60_000 },
  () => {
    it.each(CLOUD_VOICE_PROVIDERS)(
      '%s: the transcript becomes the user message and the reply is spoken into the output WAV',
      async (provider) => {
        const t = await cloudSession([provider, provider], [{ text: QUESTION }]);
        await pumpAudio(t.session, mixAt(9_000, [{ atMs: 500, pcm: clip('weather') }]));
        expect(userMessages(t.events)).toEqual([QUESTION]);
        expect(
          t.events.filter((e) => e.type === 'user.message').map((e) => data(e).source),
        ).toEqual(['voice']);
        // The stand-in got the VAD's segment as a 16 kHz WAV (the clip is ~1.7 s).
        const [upload, ...spoken] = t.speech.requests;
        expect(upload).toMatchObject({ vendor: provider, kind: 'transcription', status: 200 });
        expect(upload!.audio!.wav!.sampleRate).toBe(16_000);
        expect(upload!.audio!.wav!.durationMs).toBeGreaterThan(1_200);
        expect(spoken.map((request) => [request.vendor, request.kind, request.text])).toEqual([
          [provider, 'speech', ANSWER],
        ]);
        expect(t.models.requests).toHaveLength(1);
        expect(JSON.stringify(t.models.requests[0]!.body)).toContain(QUESTION);
        // The vendor's audio reached the output as one speech span after the turn.
        const thinking = t.events.find(
          (e) => e.type === 'voice.agent_state' && data(e).state === 'thinking',
        )!;
        const spans = await t.vad.speechSpans(t.output.pcm());
        expect(spans).toHaveLength(1);
        expect(spans[0]![0]).toBeGreaterThanOrEqual(atMs(thinking) - 100);
        expect(spans[0]![1] - spans[0]![0]).toBeGreaterThan(800);
        expect(t.events.filter((e) => e.type === 'voice.speech_finished')).toHaveLength(1);
        expect(t.events.filter((e) => e.type === 'voice.error')).toEqual([]);
      },
    );

    it('mixes vendors: Deepgram listens, ElevenLabs speaks', async () => {
      const t = await cloudSession(['deepgram', 'elevenlabs'], [{ text: QUESTION }]);
      await pumpAudio(t.session, mixAt(9_000, [{ atMs: 500, pcm: clip('weather') }]));
      expect(userMessages(t.events)).toEqual([QUESTION]);
      expect(t.speech.requests.map((r) => `${r.vendor}:${r.kind}`)).toEqual([
        'deepgram:transcription',
        'elevenlabs:speech',
      ]);
      expect(t.speech.requests[1]!.query).toEqual({ output_format: 'pcm_16000' });
      expect(await t.vad.speechSpans(t.output.pcm())).toHaveLength(1);
    });

    it('retries a 429 (honouring retry-after-ms) and the turn goes on', async () => {
      const t = await cloudSession(
        ['openai', 'openai'],
        [{ error: { status: 429, retryAfterMs: 20 } }, { text: QUESTION }],
      );
      await pumpAudio(t.session, mixAt(9_000, [{ atMs: 500, pcm: clip('weather') }]));
      expect(t.speech.requests.map((r) => r.status)).toEqual([429, 200, 200]);
      expect(userMessages(t.events)).toEqual([QUESTION]);
      expect(t.events.filter((e) => e.type === 'voice.error')).toEqual([]);
    });

    it('a slow transcription does not hold the input: VAD and turn taking go on, results apply in utterance order', async () => {
      // The first utterance's answer comes 3 s (wall) late, the second's at once: the second is
      // answered first, and both are uploaded before the first answer arrives.
      const TOMORROW = 'no wait i meant tomorrow';
      const t = await cloudSession(
        ['openai', 'openai'],
        [
          { text: QUESTION, delayMs: 3_000 },
          { text: TOMORROW, delayMs: 0 },
        ],
      );
      t.session.start();
      // Live input (as over the WebSocket): frames never wait for the session to settle.
      const input = mixAt(6_000, [
        { atMs: 500, pcm: clip('weather') },
        { atMs: 3_500, pcm: clip('tomorrow') },
      ]);
      for (const frame of toFrames(input)) await t.session.pushFrame(frame);
      // Silence, a frame every 5 ms of wall time, until the turn is taken.
      const silence = new Int16Array(FRAME_SAMPLES);
      for (let n = 0; n < 3_000 && userMessages(t.events).length === 0; n++) {
        await t.session.pushFrame(silence);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await t.session.settled();

      const userStates = t.events.filter(
        (e) => e.type === 'voice.user_state' && data(e).state === 'speaking',
      );
      const finalEvents = t.events.filter(
        (e) => e.type === 'voice.transcript' && data(e).final === true,
      );
      expect(userStates).toHaveLength(2);
      // The second utterance was heard (at its audio time) before the first one's text came back.
      expect(atMs(userStates[1]!)).toBeGreaterThanOrEqual(3_500);
      expect(atMs(userStates[1]!)).toBeLessThan(4_000);
      expect(t.events.indexOf(userStates[1]!)).toBeLessThan(t.events.indexOf(finalEvents[0]!));
      expect(t.speech.requests.map((r) => r.kind)).toContain('transcription');
      const uploads = t.speech.requests.filter((r) => r.kind === 'transcription');
      expect(uploads).toHaveLength(2);
      // In utterance order, though the second answer came first; one turn with both.
      expect(finals(t.events)).toEqual([QUESTION, TOMORROW]);
      expect(userMessages(t.events)).toEqual([`${QUESTION} ${TOMORROW}`]);
      expect(t.events.filter((e) => e.type === 'voice.error')).toEqual([]);
    });

    it('clearUserTurn() while a transcription is in flight drops it: no transcript, no turn, no error', async () => {
      const t = await cloudSession(['openai', 'openai'], [{ text: QUESTION, delayMs: 2_000 }], {
        options: { turnDetection: 'manual' },
      });
      t.session.start();
      const input = mixAt(3_500, [{ atMs: 500, pcm: clip('weather') }]);
      for (const frame of toFrames(input)) await t.session.pushFrame(frame);
      await expect.poll(() => t.speech.requests.length).toBe(1); // the upload is in flight
      t.session.clearUserTurn();
      t.session.commitUserTurn();
      await t.session.settled();
      await new Promise((resolve) => setTimeout(resolve, 2_500)); // past the answer's delay
      await t.session.settled();
      expect(finals(t.events)).toEqual([]);
      expect(userMessages(t.events)).toEqual([]);
      expect(t.events.filter((e) => e.type === 'voice.error')).toEqual([]);
    });

    it('a 401 is a VOICE_STT_FAILED error, not retried, and the session keeps listening', async () => {
      const t = await cloudSession(['elevenlabs', 'elevenlabs'], [{ text: QUESTION }], {
        keys: { server: 'right-key', client: 'wrong-key' },
      });
      await pumpAudio(t.session, mixAt(4_000, [{ atMs: 500, pcm: clip('weather') }]));
      const errors = t.events.filter((e) => e.type === 'voice.error').map(data);
      expect(errors).toEqual([
        expect.objectContaining({ code: 'VOICE_STT_FAILED', recoverable: false, consecutive: 1 }),
      ]);
      expect(errors[0]!.message).toMatch(/HTTP 401/);
      expect(errors[0]!.message).not.toMatch(/wrong-key/);
      expect(t.speech.requests).toHaveLength(0); // refused before recording, once: no retry
      expect(userMessages(t.events)).toEqual([]);
      expect(t.session.closed).toBe(false);
    });

    it('5xx after its retries counts towards maxUnrecoverableErrors and closes the session', async () => {
      const t = await cloudSession(
        ['deepgram', 'deepgram'],
        Array.from({ length: 9 }, () => ({ error: { status: 500 } })),
        { options: { maxUnrecoverableErrors: 1 } },
      );
      const weather = clip('weather');
      await pumpAudio(
        t.session,
        mixAt(9_000, [
          { atMs: 500, pcm: weather },
          { atMs: 4_000, pcm: weather },
        ]),
      );
      const errors = t.events.filter((e) => e.type === 'voice.error').map(data);
      expect(errors.map((e) => [e.code, e.consecutive])).toEqual([
        ['VOICE_STT_FAILED', 1],
        ['VOICE_STT_FAILED', 2],
      ]);
      expect(errors[0]!.message).toMatch(/HTTP 500/);
      // Three attempts per utterance (maxRetries 2), then the error limit closed the session.
      expect(t.speech.requests.map((r) => r.status)).toEqual([500, 500, 500, 500, 500, 500]);
      expect(t.session.closed).toBe(true);
      expect(t.events.filter((e) => e.type === 'voice.closed').map(data)).toEqual([
        expect.objectContaining({ reason: 'error' }),
      ]);
    });

    it('a TTS failure is VOICE_TTS_FAILED with the status; mp3 is refused by name', async () => {
      const speech = await startSpeechServer({ speech: () => ({ error: { status: 400 } }) });
      closers.push(() => speech.close());
      const failing = await createCloudTts({
        provider: 'openai',
        apiKey: 'k',
        baseURL: speech.origin,
      });
      await expect(failing.synthesize('Hello.')).rejects.toMatchObject({
        code: 'VOICE_TTS_FAILED',
        details: { status: 400, attempts: 1 },
      });
      expect(speech.requests.map((r) => r.status)).toEqual([400]);
    });

    it('decodes WAV at any rate and raw PCM16 to 16 kHz; refuses mp3 naming it', () => {
      const tone = Int16Array.from({ length: 2_400 }, (_, i) =>
        Math.round(8_000 * Math.sin(i / 5)),
      );
      expect(decodeSpeechAudio(new Uint8Array(encodeWav(tone, 24_000)), 16_000)).toHaveLength(
        1_600,
      );
      const raw = new Uint8Array(tone.buffer);
      expect(decodeSpeechAudio(raw, 24_000)).toHaveLength(1_600);
      expect(decodeSpeechAudio(raw, 16_000)).toEqual(tone);
      const mp3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0]);
      expect(() => decodeSpeechAudio(mp3, 16_000)).toThrow(/mp3.*wav or pcm/);
    });

    it('a missing key or package is VOICE_ENGINE_UNAVAILABLE before any request', async () => {
      const saved = process.env.DEEPGRAM_API_KEY;
      delete process.env.DEEPGRAM_API_KEY;
      try {
        await expect(createCloudStt({ provider: 'deepgram' })).rejects.toMatchObject({
          code: 'VOICE_ENGINE_UNAVAILABLE',
          message: expect.stringContaining('DEEPGRAM_API_KEY') as unknown,
        });
      } finally {
        if (saved !== undefined) process.env.DEEPGRAM_API_KEY = saved;
      }
    });
  },
);
