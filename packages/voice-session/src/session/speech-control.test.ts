import { afterEach, describe, expect, it } from 'vitest';
import { VoiceError } from '../errors/voice-error.js';
import { data } from '../test-helpers/assertions.js';
import { createHarness } from '../test-helpers/voice-harness.js';
import { EspeakTts } from '../tts/espeak-tts.js';
import type { Tts, TtsAudio } from '../tts/tts.js';

type Harness = Awaited<ReturnType<typeof createHarness>>;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** espeak-ng, recording the text it is asked to speak. */
function recordingTts(): Tts & { texts: string[] } {
  const espeak = new EspeakTts();
  const texts: string[] = [];
  return {
    label: 'recording',
    texts,
    synthesize: (text, options) => {
      texts.push(text);
      return espeak.synthesize(text, options);
    },
  };
}

/** A TTS failing (unrecoverably) on the calls `failOn` says, espeak-ng otherwise. */
function failingTts(failOn: (call: number) => boolean): Tts {
  const espeak = new EspeakTts();
  let calls = 0;
  return {
    label: 'failing',
    synthesize: (text, options): Promise<TtsAudio> =>
      failOn(++calls)
        ? Promise.reject(new VoiceError({ code: 'VOICE_TTS_FAILED', message: `call ${calls}` }))
        : espeak.synthesize(text, options),
  };
}

const RAW = '**Sure!** The weather is 21 degrees 😀';

describe('VoiceSession speech control', () => {
  it('T13 text transforms: the TTS gets plain words, the history keeps the model text', async () => {
    const tts = recordingTts();
    const h = (harness = await createHarness({}, { tts }));
    await h.run(6000, [], { onFrame: (at) => void (at === 0 && h.session.say(RAW)) });
    expect(tts.texts.join(' ')).toBe('Sure! The weather is 21 degrees');
    expect(h.session.history).toEqual([expect.objectContaining({ role: 'assistant', text: RAW })]);
    const filtered = data(h.of('voice.speech_finished')[0]!).spokenMs as number;

    const rawTts = recordingTts();
    const plain = await createHarness({ ttsTextTransforms: null }, { tts: rawTts });
    await plain.run(9000, [], { onFrame: (at) => void (at === 0 && plain.session.say(RAW)) });
    expect(rawTts.texts.join(' ')).toContain('**');
    const unfiltered = data(plain.of('voice.speech_finished')[0]!).spokenMs as number;
    await plain.close();
    // espeak reads "asterisk asterisk" and "grinning face": the unfiltered audio is much longer.
    expect(unfiltered).toBeGreaterThan(filtered * 1.5);
  });

  it('T15 errors 1–3 are reported, the 4th in a row closes the voice session', async () => {
    const h = (harness = await createHarness({}, { tts: failingTts(() => true) }));
    h.session.start();
    for (let attempt = 1; attempt <= 3; attempt++) {
      h.session.say(`Attempt ${attempt}.`);
      await h.session.settled();
      expect(h.session.closed).toBe(false);
    }
    h.session.say('Attempt four.');
    await h.session.settled();
    expect(h.of('voice.error').map((event) => data(event).consecutive)).toEqual([1, 2, 3, 4]);
    expect(h.of('voice.error').map((event) => data(event).code)).toEqual(
      Array(4).fill('VOICE_TTS_FAILED'),
    );
    expect(h.session.closed).toBe(true);
    expect(h.of('voice.closed').map(data)).toEqual([{ reason: 'error' }]);
  });

  it('T15 the error count resets once the agent speaks again', async () => {
    const h = (harness = await createHarness({}, { tts: failingTts((call) => call !== 3) }));
    await h.run(4000, [], {
      onFrame: (at) => {
        if (at === 0) h.session.say('One.');
        if (at === 100) h.session.say('Two.');
        if (at === 200) h.session.say('Three.');
        if (at === 3000) h.session.say('Four.');
      },
    });
    expect(h.of('voice.error').map((event) => data(event).consecutive)).toEqual([1, 2, 1]);
    expect(h.session.closed).toBe(false);
    expect(h.session.history.map((item) => item.text)).toEqual(['Three.']);
  });

  it('interrupt() stops interruptible speech, not uninterruptible speech unless forced', async () => {
    const h = (harness = await createHarness());
    await h.run(1000, [], {
      onFrame: (at) => void (at === 0 && h.session.say('Hello there, how are you?')),
    });
    h.session.interrupt();
    await h.agent.bus.flush(); // bus delivery is asynchronous
    expect(h.of('voice.speech_interrupted').map(data)).toMatchObject([{ reason: 'api' }]);
    await h.run(600, [], {
      onFrame: (at) =>
        void (at === 0 && h.session.say('Please hold the line.', { allowInterruptions: false })),
    });
    h.session.interrupt();
    await h.agent.bus.flush();
    expect(h.of('voice.speech_interrupted')).toHaveLength(1);
    h.session.interrupt({ force: true });
    await h.agent.bus.flush();
    expect(h.of('voice.speech_interrupted')).toHaveLength(2);
    expect(h.session.agentState).toBe('listening');
  });
});
