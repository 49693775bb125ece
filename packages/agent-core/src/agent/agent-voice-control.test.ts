import type { AnyEvent } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sessionFromEvents } from '../sessions/session-from-events.js';
import { collect, dataOf, recordBus, waitFor } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { defineTool } from '../tools/define-tool.js';

// The operations a voice session needs from agent-core: say, generateReply,
// truncating a reply to what was spoken, withdrawing a preemptive run, and a
// per-run tool-step limit. Each runs over the testkit's scripted model server.

/** The chat messages of a recorded model request, as role: text. */
function promptOf(body: unknown): string[] {
  const messages = (body as { messages: Array<{ role: string; content: unknown }> }).messages;
  return messages.map(
    (message) =>
      `${message.role}: ${typeof message.content === 'string' ? message.content : JSON.stringify(message.content)}`,
  );
}

/** The transcript as role: text lines. */
function lines(transcript: ReadonlyArray<{ message: { role: string; content: unknown } }>) {
  return transcript.map(({ message }) => {
    const content = message.content;
    const text = Array.isArray(content)
      ? content
          .map((part: { type: string; text?: string }) => part.text ?? `[${part.type}]`)
          .join('')
      : String(content);
    return `${message.role}: ${text}`;
  });
}

const newId = (() => {
  let n = 0;
  return (prefix: string) => `${prefix}_rebuilt_${++n}`;
})();

describe('session.say', () => {
  it('adds an assistant message without a model call, streamed like one, and the next call sees it', async () => {
    await using t = await startTestAgent([{ text: 'Paris is sunny.' }]);
    const events = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    const said = await collect(session.say('Hello! Ask me about the weather.'));
    expect(said.result.stopReason).toBe('completed');
    expect(said.types).toEqual([
      'run.started',
      'message.started',
      'message.delta',
      'message.completed',
      'run.finished',
    ]);
    expect(dataOf(said.events, 'run.started')).toMatchObject({ trigger: 'say' });
    expect(t.server.requests).toHaveLength(0);
    await collect(session.run('weather in paris?'));
    expect(promptOf(t.server.requests[0]!.body).slice(1)).toEqual([
      'assistant: Hello! Ask me about the weather.',
      'user: weather in paris?',
    ]);
    expect(lines(sessionFromEvents(events, newId).transcript)).toEqual(lines(session.transcript));
  });

  it('refuses empty text', async () => {
    await using t = await startTestAgent([]);
    const session = await t.agent.createSession();
    expect(() => session.say('  ')).toThrow(expect.objectContaining({ code: 'CORE_EMPTY_INPUT' }));
  });
});

describe('session.generateReply', () => {
  it('runs without new user input; its instructions reach this call only', async () => {
    await using t = await startTestAgent([{ text: 'Anything else?' }, { text: 'Bye.' }]);
    const session = await t.agent.createSession();
    await collect(session.say('Your timer is set.'));
    const reply = await collect(
      session.generateReply({ instructions: 'Ask whether the user needs anything else.' }),
    );
    expect(reply.result).toMatchObject({ stopReason: 'completed', text: 'Anything else?' });
    expect(dataOf(reply.events, 'run.started')).toMatchObject({ trigger: 'reply' });
    expect(reply.types).not.toContain('user.message');
    const first = promptOf(t.server.requests[0]!.body);
    expect(first[0]).toContain('Ask whether the user needs anything else.');
    expect(first.slice(1)).toEqual(['assistant: Your timer is set.']);
    await collect(session.run('no thanks'));
    const second = promptOf(t.server.requests[1]!.body);
    expect(second[0]).not.toContain('Ask whether');
    expect(lines(session.transcript)).toEqual([
      'assistant: Your timer is set.',
      'assistant: Anything else?',
      'user: no thanks',
      'assistant: Bye.',
    ]);
  });
});

describe('session.truncateReply', () => {
  it('keeps what was spoken of a finished reply; the next call sees only that; the log records it', async () => {
    await using t = await startTestAgent([
      { text: 'It is **sunny** in Paris today. Tomorrow it will rain.' },
      { text: 'Tomorrow it rains.' },
    ]);
    const events = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    const { result } = await collect(session.run('weather?'));
    // The voice spoke "It is sunny in" (markdown filtered: word count decides the cut).
    await session.truncateReply(result.runId, { spokenText: 'It is sunny in', spokenMs: 1234.4 });
    const reply = session.transcript.find((entry) => entry.message.role === 'assistant')!;
    expect(lines([reply])).toEqual(['assistant: It is **sunny** in']);
    expect(reply.display).toMatchObject({ status: 'interrupted', spokenMs: 1234 });
    const cut = events.filter((event) => event.type === 'message.completed').at(-1)!;
    expect(cut).toMatchObject({
      runId: result.runId,
      data: { text: 'It is **sunny** in', status: 'interrupted', spokenMs: 1234 },
    });
    expect(events.findIndex((e) => e === cut)).toBeGreaterThan(
      events.findIndex((e) => e.type === 'run.finished'),
    );
    await collect(session.run('and tomorrow?'));
    expect(promptOf(t.server.requests[1]!.body).slice(1)).toEqual([
      'user: weather?',
      'assistant: It is **sunny** in',
      'user: and tomorrow?',
    ]);
    const rebuilt = sessionFromEvents(events, newId).transcript;
    expect(lines(rebuilt)).toEqual(lines(session.transcript));
    expect(rebuilt[1]!.display).toMatchObject({ status: 'interrupted', spokenMs: 1234 });
  });

  it('stops a reply still streaming: the run ends interrupted', async () => {
    await using t = await startTestAgent([
      { text: ['One ', 'two ', 'three ', 'four'], stallAfterChunks: 3 },
    ]);
    const session = await t.agent.createSession();
    const run = session.run('count');
    const seen: AnyEvent[] = [];
    for await (const event of run) {
      seen.push(event);
      if (event.type === 'message.delta' && (event.data as { delta: string }).delta === 'two ')
        break;
    }
    await session.truncateReply(run.runId, { spokenText: 'One', spokenMs: 300 });
    expect((await run.result).stopReason).toBe('interrupted');
    expect(lines(session.transcript)).toEqual(['user: count', 'assistant: One']);
    expect(session.status).toBe('idle');
  });

  it('drops the unspoken text of later messages of the run, keeping its tool calls', async () => {
    const clock = defineTool({
      description: 'time',
      inputSchema: z.object({}),
      execute: () => '10:00',
    });
    await using t = await startTestAgent(
      [
        { text: 'Let me look.', toolCalls: [{ id: 'c1', name: 'clock', args: {} }] },
        { text: 'It is ten.' },
      ],
      { tools: { clock } },
    );
    const session = await t.agent.createSession();
    const { result } = await collect(session.run('time?'));
    await session.truncateReply(result.runId, { spokenText: 'Let', spokenMs: 200 });
    expect(lines(session.transcript)).toEqual([
      'user: time?',
      'assistant: Let[tool-call]',
      'tool: [tool-result]',
    ]);
  });

  it('refuses a run with no reply, and a negative duration', async () => {
    await using t = await startTestAgent([{ text: 'Hi.' }]);
    const session = await t.agent.createSession();
    const { result } = await collect(session.run('hi'));
    await expect(
      session.truncateReply('run_nope', { spokenText: '', spokenMs: 0 }),
    ).rejects.toMatchObject({
      code: 'CORE_RUN_NOT_FOUND',
    });
    await expect(
      session.truncateReply(result.runId, { spokenText: 'Hi.', spokenMs: -1 }),
    ).rejects.toMatchObject({ code: 'CORE_INVALID_INPUT' });
  });
});

describe('preemptive runs', () => {
  it('withdraw() ends a preemptive run leaving nothing in the transcript, even after the model finished', async () => {
    await using t = await startTestAgent([{ text: 'For how long?' }, { text: 'Timer set.' }]);
    const events = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    const early = session.run({ text: 'set a timer', source: 'voice' }, { preemptive: true });
    await waitFor(() =>
      events.some((event) => event.type === 'message.completed' && event.runId === early.runId),
    );
    expect(session.status).toBe('running'); // held: not finished before it is confirmed
    expect(early.withdraw()).toBe(true);
    const result = await early.result;
    expect(result.stopReason).toBe('cancelled');
    const finished = events.find((e) => e.type === 'run.finished' && e.runId === early.runId)!;
    expect(finished.data).toMatchObject({ stopReason: 'cancelled', withdrawn: true });
    expect(session.transcript).toEqual([]);
    expect(early.withdraw()).toBe(false);
    const full = await collect(
      session.run({ text: 'set a timer for ten minutes', source: 'voice' }),
    );
    expect(full.result.text).toBe('Timer set.');
    expect(promptOf(t.server.requests[1]!.body).slice(1)).toEqual([
      'user: set a timer for ten minutes',
    ]);
    expect(lines(sessionFromEvents(events, newId).transcript)).toEqual(lines(session.transcript));
  });

  it('confirm() lets a preemptive run finish as a normal one', async () => {
    await using t = await startTestAgent([{ text: 'Timer set.' }]);
    const session = await t.agent.createSession();
    const run = session.run('set a timer for ten minutes', { preemptive: true });
    const early = await Promise.race([
      run.result.then(() => 'finished'),
      new Promise((resolve) => setTimeout(() => resolve('held'), 300)),
    ]);
    expect(early).toBe('held');
    run.confirm();
    expect((await run.result).stopReason).toBe('completed');
    expect(lines(session.transcript)).toEqual([
      'user: set a timer for ten minutes',
      'assistant: Timer set.',
    ]);
  });
});

describe('maxToolSteps', () => {
  it('runs at most that many rounds of tool calls; the next round is not run', async () => {
    let calls = 0;
    const lookup = defineTool({
      description: 'look something up',
      inputSchema: z.object({}),
      execute: () => `result ${++calls}`,
    });
    const round = (id: string) => ({ toolCalls: [{ id, name: 'lookup', args: {} }] });
    await using t = await startTestAgent([round('c1'), round('c2'), round('c3')], {
      tools: { lookup },
    });
    const session = await t.agent.createSession();
    const { result, events } = await collect(session.run('dig', { maxToolSteps: 1 }));
    expect(result.stopReason).toBe('max_steps');
    expect(calls).toBe(1);
    expect(dataOf(events, 'loop.budget_exhausted')).toEqual({ maxSteps: 1, limit: 'tool_steps' });
    const skipped = events.filter((e) => e.type === 'tool_call.completed').at(-1)!;
    expect(skipped.data).toMatchObject({
      toolCallId: 'c2',
      status: 'cancelled',
      error: { code: 'CORE_MAX_TOOL_STEPS' },
    });
    expect(t.server.requests).toHaveLength(2);
    // Every call has its result: the conversation goes on.
    expect(lines(session.transcript).filter((line) => line.startsWith('tool:'))).toHaveLength(2);
  });
});
