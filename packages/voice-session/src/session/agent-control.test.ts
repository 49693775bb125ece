import { reduceEvents } from '@switchboard/events';
import { afterEach, describe, expect, it } from 'vitest';
import { data, userMessages } from '../test-helpers/assertions.js';
import { atMs, clip, createHarness } from '../test-helpers/voice-harness.js';

type Harness = Awaited<ReturnType<typeof createHarness>>;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The agent-core transcript as role: text lines. */
const transcript = (h: Harness) =>
  h.agentSession.transcript.map(
    ({ message }) =>
      `${message.role}: ${(message.content as Array<{ type: string; text?: string }>)
        .map((part) => part.text ?? '')
        .join('')}`,
  );

/** The system prompt of each model call. */
const systemPrompts = (h: Harness) =>
  h.model.calls.map((call) => {
    const system = call.options.prompt.find((message) => message.role === 'system');
    return system && typeof system.content === 'string' ? system.content : '';
  });

describe('VoiceSession over agent-core operations', () => {
  it('T14 preemptive generation: started on each final transcript, withdrawn when the user goes on, the last one used', async () => {
    const first = clip('book-a');
    // 0.8 s between the halves: past the VAD's 550 ms (a final arrives), inside the 1500 ms endpointing.
    const clips = [
      { atMs: 500, pcm: first },
      { atMs: 500 + first.length / 16 + 800, pcm: clip('book-b') },
    ];
    const options = { preemptiveGeneration: true, minEndpointingMs: 1500 };
    const h = (harness = await createHarness(options));
    await h.run(9000, clips);
    // Two model calls (one per final transcript), one reply spoken: on the whole turn.
    expect(h.model.calls).toHaveLength(2);
    expect(h.of('voice.speech_created')).toHaveLength(1);
    expect(h.of('voice.speech_finished')).toHaveLength(1);
    const finished = h.of('run.finished').map((event) => data(event));
    expect(finished.map((d) => [d.stopReason, d.withdrawn])).toEqual([
      ['cancelled', true],
      ['completed', undefined],
    ]);
    expect(transcript(h)).toEqual([
      'user: please book a table for two at seven',
      'assistant: Your table is booked.',
    ]);
    expect(h.session.history.map((item) => item.text)).toEqual([
      'please book a table for two at seven',
      'Your table is booked.',
    ]);
    // The view shows one user turn: the withdrawn run left nothing.
    const view = reduceEvents(h.events);
    const messages = view.items.toArray().filter((item) => item.kind === 'message');
    expect(messages.map((item) => (item.kind === 'message' ? item.text : ''))).toEqual([
      'please book a table for two at seven',
      'Your table is booked.',
    ]);
    // The reply was ready when the turn ended: it speaks at the turn decision.
    const thinking = h
      .voice()
      .find((e) => e.type === 'voice.agent_state' && data(e).state === 'thinking')!;
    const speaking = h
      .voice()
      .find((e) => e.type === 'voice.agent_state' && data(e).state === 'speaking')!;
    expect(atMs(speaking) - atMs(thinking)).toBeLessThanOrEqual(40);
  }, 60_000);

  it('T14 control: without preemption, one model call, made at the end of the turn', async () => {
    const first = clip('book-a');
    const control = (harness = await createHarness({ minEndpointingMs: 1500 }));
    await control.run(9000, [
      { atMs: 500, pcm: first },
      { atMs: 500 + first.length / 16 + 800, pcm: clip('book-b') },
    ]);
    expect(control.model.calls).toHaveLength(1);
    expect(userMessages(control.events)).toEqual(['please book a table for two at seven']);
  }, 60_000);

  it('say() and generateReply() are agent-core messages; an interrupted reply keeps only what was spoken', async () => {
    const h = (harness = await createHarness());
    await h.run(
      17_000,
      [
        { atMs: 3000, pcm: clip('weather') },
        { atMs: 7500, pcm: clip('tomorrow') },
      ],
      {
        onFrame: (at) => {
          if (at === 0) h.session.say('Hello, I can tell you the weather.');
        },
      },
    );
    const lines = transcript(h);
    expect(lines[0]).toBe('assistant: Hello, I can tell you the weather.');
    expect(lines[1]).toBe('user: what is the weather in paris');
    // The reply was cut by "no wait I meant tomorrow": the model's next call saw the spoken part only.
    const cut = h.session.history.find((item) => item.interrupted)!;
    expect(lines[2]).toBe(`assistant: ${cut.text}`);
    const entry = h.agentSession.transcript[2]!;
    expect(entry.display).toMatchObject({ status: 'interrupted', spokenMs: cut.spokenMs });
    expect(lines.slice(3)).toEqual([
      'user: no wait i meant tomorrow',
      'assistant: Tomorrow it will rain in Paris.',
    ]);
    const secondCall = h.model.calls[1]!.options.prompt.map((message) => message.role);
    expect(secondCall).toEqual(['system', 'assistant', 'user', 'assistant', 'user']);
    expect(h.of('run.started').map((event) => data(event).trigger)).toEqual([
      'say',
      'user',
      'user',
    ]);
    const truncated = h
      .of('message.completed')
      .filter((event) => data(event).status === 'interrupted');
    expect(truncated).toHaveLength(1);
    expect(data(truncated[0]!).spokenMs).toBe(cut.spokenMs);
  }, 60_000);

  it('updateAgent(): the next reply runs with the new instructions; generateReply() needs no user input', async () => {
    const h = (harness = await createHarness({ maxToolSteps: 2 }));
    await h.run(14_000, [{ atMs: 500, pcm: clip('weather') }]);
    h.session.updateAgent({ instructions: 'You are now the billing agent.' });
    h.session.generateReply({ instructions: 'Introduce yourself.' });
    await h.run(14_000, []);
    expect(h.model.calls).toHaveLength(2);
    const [before, after] = systemPrompts(h);
    expect(before).not.toContain('billing');
    expect(after).toContain('You are now the billing agent.');
    expect(after).toContain('Introduce yourself.');
    const started = h.of('run.started').map((event) => data(event).trigger);
    expect(started).toEqual(['user', 'reply']);
    expect(h.of('user.message')).toHaveLength(1);
    expect(h.of('voice.speech_finished')).toHaveLength(2);
  }, 60_000);
});
