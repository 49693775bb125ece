import { afterEach, describe, expect, it } from 'vitest';
import { data, finals, userMessages } from '../test-helpers/assertions.js';
import { atMs, clip, createHarness, reply } from '../test-helpers/voice-harness.js';

type Harness = Awaited<ReturnType<typeof createHarness>>;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const LONG = reply('weather');
const question = () => ({ atMs: 500, pcm: clip('weather') });

describe('VoiceSession interruptions', () => {
  it('T04 real interruption: paused at 500 ms of speech, interrupted on words, history cut, new reply', async () => {
    const h = (harness = await createHarness());
    await h.run(14_000, [question(), { atMs: 5000, pcm: clip('tomorrow') }]);
    const paused = h.of('voice.speech_paused');
    expect(paused).toHaveLength(1);
    expect(atMs(paused[0]!)).toBeGreaterThan(5400);
    expect(atMs(paused[0]!)).toBeLessThan(5800);
    const interrupted = h.of('voice.speech_interrupted');
    expect(interrupted.map(data)).toMatchObject([{ reason: 'user_speech' }]);
    expect(finals(h.voice())).toEqual(['what is the weather in paris', 'no wait i meant tomorrow']);
    expect(userMessages(h.events)).toEqual([
      'what is the weather in paris',
      'no wait i meant tomorrow',
    ]);
    const [, cut, , answer] = h.session.history;
    expect(cut).toMatchObject({ role: 'assistant', interrupted: true });
    // What was spoken before the pause: a proper prefix of the model's text.
    expect(cut!.text.length).toBeGreaterThan(5);
    expect(LONG.startsWith(cut!.text)).toBe(true);
    expect(cut!.text.length).toBeLessThan(LONG.length);
    expect(cut!.spokenMs).toBe(data(paused[0]!).spokenMs);
    expect(answer).toMatchObject({ role: 'assistant', text: 'Tomorrow it will rain in Paris.' });
    // Agent audio: silent from the pause until the new reply.
    const spans = await h.vad.speechSpans(h.output.pcm());
    expect(spans).toHaveLength(2);
    expect(spans[0]![1]).toBeLessThan(atMs(paused[0]!) + 150);
    const secondReply = h.of('voice.speech_created')[1]!;
    expect(spans[1]![0]).toBeGreaterThan(atMs(secondReply) - 100);
  });

  it('T05 false interruption: paused, empty final, resumed exactly 2000 ms after the user stopped', async () => {
    const h = (harness = await createHarness());
    await h.run(16_000, [question(), { atMs: 5000, pcm: clip('hmm') }]);
    expect(h.of('voice.speech_paused')).toHaveLength(1);
    expect(finals(h.voice())).toEqual(['what is the weather in paris', '']);
    const falseInterruption = h.of('voice.false_interruption');
    expect(falseInterruption.map(data)).toMatchObject([{ resumed: true }]);
    const userStopped = h
      .of('voice.user_state')
      .filter((e) => atMs(e) > 5000)
      .at(-1)!;
    expect(data(userStopped).state).toBe('listening');
    expect(atMs(falseInterruption[0]!) - atMs(userStopped)).toBe(2000);
    expect(h.of('voice.speech_resumed')).toHaveLength(1);
    expect(h.of('voice.speech_interrupted')).toHaveLength(0);
    expect(h.session.history[1]).toMatchObject({ role: 'assistant', text: LONG });
    expect(h.session.history[1]!.interrupted).toBeUndefined();
    const spans = await h.vad.speechSpans(h.output.pcm());
    expect(spans).toHaveLength(2); // the gap from the pause to the resume
    expect(spans[1]![0]).toBeGreaterThan(atMs(falseInterruption[0]!) - 100);
  });

  it('T06 false interruption without resume: stopped at once, resumed:false after the timeout', async () => {
    const h = (harness = await createHarness({ resumeFalseInterruption: false }));
    await h.run(16_000, [question(), { atMs: 5000, pcm: clip('hmm') }]);
    expect(h.of('voice.speech_paused')).toHaveLength(0);
    expect(h.of('voice.speech_interrupted').map(data)).toMatchObject([{ reason: 'user_speech' }]);
    expect(h.of('voice.false_interruption').map(data)).toMatchObject([{ resumed: false }]);
    expect(h.session.history[1]).toMatchObject({ role: 'assistant', interrupted: true });
    expect(await h.vad.speechSpans(h.output.pcm())).toHaveLength(1);
  });

  it('T07 a short blip below minInterruptionMs does not pause the reply', async () => {
    const h = (harness = await createHarness());
    await h.run(13_000, [question(), { atMs: 5000, pcm: clip('uh') }]);
    expect(h.of('voice.speech_paused')).toHaveLength(0);
    expect(finals(h.voice()).filter(Boolean)).toEqual(['what is the weather in paris']);
    expect(h.of('voice.speech_finished').map(data)).toMatchObject([{ interrupted: false }]);
  });

  it('T08 noise does not interrupt: no user state change once the reply plays', async () => {
    const h = (harness = await createHarness());
    await h.run(13_000, [
      question(),
      { atMs: 5000, pcm: clip('white-noise') },
      { atMs: 6500, pcm: clip('pink-noise') },
    ]);
    const speaking = h.of('voice.agent_state').find((e) => data(e).state === 'speaking')!;
    expect(h.of('voice.user_state').filter((e) => atMs(e) > atMs(speaking))).toHaveLength(0);
    expect(h.of('voice.speech_finished').map(data)).toMatchObject([{ interrupted: false }]);
  });

  it('T09 minInterruptionWords: one word is a skipped turn, five words interrupt', async () => {
    const h = (harness = await createHarness({ minInterruptionWords: 2 }));
    await h.run(15_000, [
      question(),
      { atMs: 5000, pcm: clip('stop') },
      { atMs: 7500, pcm: clip('tomorrow') },
    ]);
    expect(h.of('voice.user_turn_skipped').map(data)).toEqual([
      { transcript: 'stop', reason: 'min_interruption_words' },
    ]);
    const interrupted = h.of('voice.speech_interrupted');
    expect(interrupted).toHaveLength(1);
    expect(atMs(interrupted[0]!)).toBeGreaterThan(7500);
    expect(userMessages(h.events)).toEqual([
      'what is the weather in paris',
      'no wait i meant tomorrow',
    ]);
  });

  it('T10 uninterruptible speech plays out; overlapping words make no turn; the next utterance does', async () => {
    const h = (harness = await createHarness());
    await h.run(
      17_000,
      [
        { atMs: 2000, pcm: clip('tomorrow') },
        { atMs: 12_500, pcm: clip('hello') },
      ],
      { onFrame: (at) => void (at === 0 && h.session.say(LONG, { allowInterruptions: false })) },
    );
    expect(h.of('voice.speech_paused')).toHaveLength(0);
    expect(h.of('voice.speech_interrupted')).toHaveLength(0);
    expect(h.of('voice.speech_finished').map(data)[0]).toMatchObject({ interrupted: false });
    expect(h.of('voice.user_turn_skipped').map(data)).toEqual([
      { transcript: 'no wait i meant tomorrow', reason: 'uninterruptible' },
    ]);
    expect(userMessages(h.events)).toEqual(['hello how are you today']);
  });
});
