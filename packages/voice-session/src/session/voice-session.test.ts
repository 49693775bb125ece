import { afterEach, describe, expect, it } from 'vitest';
import { atMs, clip, createHarness } from '../test-helpers/voice-harness.js';

type Harness = Awaited<ReturnType<typeof createHarness>>;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('VoiceSession over WAV fixtures (Silero + pocketsphinx + espeak-ng, scripted model)', () => {
  it('T01 basic VAD turn: states, transcript, user message, reply spoken once', async () => {
    harness = await createHarness();
    const h = harness;
    await h.run(14_000, [{ atMs: 500, pcm: clip('weather') }]);
    const voice = h.voice();
    const states = (type: string) =>
      voice.filter((e) => e.type === type).map((e) => (e.data as { state: string }).state);
    expect(states('voice.agent_state')).toEqual([
      'initializing',
      'listening',
      'thinking',
      'speaking',
      'listening',
    ]);
    expect(states('voice.user_state').slice(0, 2)).toEqual(['speaking', 'listening']);
    const finals = h.of('voice.transcript').filter((e) => (e.data as { final: boolean }).final);
    expect(finals.map((e) => (e.data as { text: string }).text)).toEqual([
      'what is the weather in paris',
    ]);
    const user = h.of('user.message');
    expect(user).toHaveLength(1);
    expect(user[0]!.data).toMatchObject({
      source: 'voice',
      parts: [{ text: 'what is the weather in paris' }],
    });
    const speaking = voice.find((e) => e.type === 'voice.user_state')!;
    expect(atMs(speaking)).toBeGreaterThan(450);
    expect(atMs(speaking)).toBeLessThan(800);
    expect(h.session.history).toMatchObject([
      { role: 'user', text: 'what is the weather in paris' },
      { role: 'assistant', text: expect.stringContaining('**Sure!**') },
    ]);
    const spans = await h.vad.speechSpans(h.output.pcm());
    expect(spans).toHaveLength(1);
  });
});
