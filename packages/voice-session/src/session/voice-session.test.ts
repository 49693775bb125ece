import { afterEach, describe, expect, it } from 'vitest';
import { data, finals, statesOf, userMessages } from '../test-helpers/assertions.js';
import { atMs, clip, createHarness } from '../test-helpers/voice-harness.js';

type Harness = Awaited<ReturnType<typeof createHarness>>;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('VoiceSession turns (Silero + pocketsphinx + espeak-ng, scripted model)', () => {
  it('T01 basic VAD turn: states, transcript, user message, reply spoken once', async () => {
    const h = (harness = await createHarness());
    await h.run(14_000, [{ atMs: 500, pcm: clip('weather') }]);
    const voice = h.voice();
    expect(statesOf(voice, 'voice.agent_state')).toEqual([
      'initializing',
      'listening',
      'thinking',
      'speaking',
      'listening',
    ]);
    expect(statesOf(voice, 'voice.user_state').slice(0, 2)).toEqual(['speaking', 'listening']);
    expect(finals(voice)).toEqual(['what is the weather in paris']);
    expect(h.of('user.message').map((event) => data(event).source)).toEqual(['voice']);
    expect(userMessages(h.events)).toEqual(['what is the weather in paris']);
    const [speaking, listening] = h.of('voice.user_state');
    expect(atMs(speaking!)).toBeGreaterThan(450);
    expect(atMs(speaking!)).toBeLessThan(800);
    // End of turn = end of speech + the VAD's 550 ms hangover (it covers minEndpointingMs 500).
    const thinking = voice.find((event) => data(event).state === 'thinking')!;
    expect(atMs(thinking)).toBe(atMs(listening!));
    const metrics = data(h.of('voice.metrics')[0]!);
    expect(metrics.endOfUtteranceDelayMs).toBeGreaterThanOrEqual(500);
    expect(metrics.endOfUtteranceDelayMs).toBeLessThan(700);
    expect(h.session.history).toMatchObject([
      { role: 'user', text: 'what is the weather in paris' },
      { role: 'assistant', text: expect.stringContaining('**Sure!**') as unknown },
    ]);
    expect(h.session.history[1]!.interrupted).toBeUndefined();
    // The agent's audio: one speech span, starting within 100 ms of the turn decision.
    const spans = await h.vad.speechSpans(h.output.pcm());
    expect(spans).toHaveLength(1);
    expect(Math.abs(spans[0]![0] - atMs(thinking))).toBeLessThan(200);
    // Voice events and the run's events share the agent session's one seq order.
    const first = h.events[0]!.seq;
    expect(h.events.map((event) => event.seq)).toEqual(h.events.map((_, index) => first + index));
    expect(new Set(h.events.map((event) => event.sessionId))).toEqual(new Set([h.agentSession.id]));
  });

  it('T02 a short pause is not the end of the turn', async () => {
    const h = (harness = await createHarness());
    const first = clip('book-a');
    await h.run(8000, [
      { atMs: 500, pcm: first },
      { atMs: 500 + first.length / 16 + 300, pcm: clip('book-b') },
    ]);
    expect(userMessages(h.events)).toEqual(['please book a table for two at seven']);
    expect(h.of('voice.speech_finished')).toHaveLength(1);
  });

  it('T03 a doubtful turn detector stretches endpointing to maxEndpointingMs; without it, two turns', async () => {
    const first = clip('book-a');
    const clips = [
      { atMs: 500, pcm: first },
      { atMs: 500 + first.length / 16 + 1500, pcm: clip('book-b') },
    ];
    const detector = {
      unlikelyThreshold: 0.2,
      predictEndOfTurn: (text: string) => (/table$/.test(text) ? 0.05 : 0.9),
    };
    const h = (harness = await createHarness({ turnDetection: detector }));
    await h.run(9000, clips);
    expect(userMessages(h.events)).toEqual(['please book a table for two at seven']);
    await h.close();
    const control = (harness = await createHarness());
    await control.run(9000, clips);
    expect(userMessages(control.events)).toEqual(['please book a table', 'for two at seven']);
  });

  it('T11 user away after 15 s of silence on both sides, then back', async () => {
    const h = (harness = await createHarness());
    await h.run(21_000, [{ atMs: 17_000, pcm: clip('hello') }], {
      onFrame: (at) => void (at === 0 && h.session.say('Hello!')),
    });
    const user = h.of('voice.user_state');
    expect(user.map((event) => data(event).state)).toEqual(['away', 'speaking', 'listening']);
    const lastListening = h
      .of('voice.agent_state')
      .filter((event) => data(event).state === 'listening' && atMs(event) < 16_000)
      .at(-1)!;
    expect(atMs(user[0]!) - atMs(lastListening)).toBe(15_000);
    expect(userMessages(h.events)).toEqual(['hello how are you today']);
  });

  it('T12 manual turn detection: nothing until commitUserTurn(); clearUserTurn() drops the turn', async () => {
    const h = (harness = await createHarness({ turnDetection: 'manual' }));
    await h.run(3000, [{ atMs: 500, pcm: clip('weather') }]);
    expect(finals(h.voice())).toEqual(['what is the weather in paris']);
    expect(h.of('user.message')).toHaveLength(0);
    h.session.commitUserTurn();
    await h.run(1000, []);
    expect(userMessages(h.events)).toEqual(['what is the weather in paris']);
    await h.close();
    const cleared = (harness = await createHarness({ turnDetection: 'manual' }));
    await cleared.run(3000, [{ atMs: 500, pcm: clip('weather') }]);
    cleared.session.clearUserTurn();
    cleared.session.commitUserTurn();
    await cleared.run(1000, []);
    expect(cleared.of('user.message')).toHaveLength(0);
    expect(cleared.of('voice.user_turn_skipped').map(data)).toEqual([
      { transcript: 'what is the weather in paris', reason: 'cleared' },
    ]);
  });
});
