import { reduceEvents, type AnyEvent } from '@switchboard/events';
import { createScriptedModel, type ScriptedTurn } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { collect, recordBus } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { createAgent } from './agent.js';
import type { AgentOptions } from './agent-options.js';

type UsageData = {
  scope: 'run' | 'session';
  generationId?: string;
  estimated?: boolean;
  usage: Record<string, number>;
  call?: Record<string, number>;
  contextTokens?: number;
  contextWindow?: number;
  tokensPerSecond?: number;
};

const updates = (events: readonly AnyEvent[]) =>
  events.filter((event) => event.type === 'usage.updated').map((event) => event.data as UsageData);
const estimates = (events: readonly AnyEvent[]) =>
  updates(events).filter((data) => data.scope === 'run' && data.estimated === true);
const exactRun = (events: readonly AnyEvent[]) =>
  updates(events).filter((data) => data.scope === 'run' && data.estimated !== true);
const sessionUpdates = (events: readonly AnyEvent[]) =>
  updates(events).filter((data) => data.scope === 'session');

/**
 * An agent on an in-process scripted model whose clock moves 1 ms each time
 * it is read: while the model streams, the meter reads it once per delta, so
 * 1000 deltas take one second of agent time, whatever the machine's load.
 */
function meteredAgent(
  turns: ScriptedTurn[] | (() => ScriptedTurn),
  model: { provider?: string; modelId?: string },
  options: Partial<AgentOptions> = {},
) {
  let now = Date.UTC(2026, 0, 1);
  return createAgent({
    name: 'metered',
    model: createScriptedModel(turns, model),
    now: () => (now += 1),
    ...options,
  });
}

const thousandDeltas: ScriptedTurn = {
  text: Array.from({ length: 1000 }, () => 'abcd'),
  usage: { inputTokens: 900, outputTokens: 1010 },
};

describe('the live usage meter of a run', () => {
  it('1000 deltas in one second: at most ten estimates, then the exact numbers of the call', async () => {
    const agent = meteredAgent([thousandDeltas], { provider: 'openai.chat', modelId: 'gpt-4.1' });
    const session = await agent.createSession();
    const { events, result } = await collect(session.run('Write a lot'));
    const live = estimates(events);
    expect(live.length).toBeGreaterThanOrEqual(1);
    expect(live.length).toBeLessThanOrEqual(10);
    // Estimates: 4 characters a token, against the model's window.
    expect(live.at(-1)!.call!.outputTokens).toBeLessThanOrEqual(1000);
    expect(live.at(-1)).toMatchObject({ contextWindow: 1_047_576 });
    expect(live.at(-1)!.tokensPerSecond).toBeGreaterThan(0);

    // Exactly one exact update, right after generation.finished, with its usage.
    const finished = events.findIndex((event) => event.type === 'generation.finished');
    const generation = events[finished]!.data as { generationId: string; usage: object };
    expect(exactRun(events)).toHaveLength(1);
    expect(events[finished + 1]!.data).toMatchObject({
      scope: 'run',
      generationId: generation.generationId,
      call: generation.usage,
      usage: result.usage,
      contextTokens: 900 + 1010,
      contextWindow: 1_047_576,
    });
    expect(events[finished + 1]!.data).not.toHaveProperty('estimated');
    expect(events.slice(finished).some((event) => (event.data as UsageData).estimated)).toBe(false);
    expect(sessionUpdates(events).at(-1)).toMatchObject({ contextWindow: 1_047_576 });

    // What a surface shows: estimated mid-stream, exact at the end.
    const lastEstimate = events.findLastIndex((event) => (event.data as UsageData).estimated);
    expect(reduceEvents(events.slice(0, lastEstimate + 1)).meter).toMatchObject({
      estimated: true,
      contextWindow: 1_047_576,
    });
    expect(reduceEvents(events).meter).toMatchObject({
      estimated: false,
      inputTokens: 900,
      outputTokens: 1010,
      contextTokens: 1910,
      contextWindow: 1_047_576,
    });
    await agent.close();
  });

  it('reports no window for a model it does not know, not the compaction budget', async () => {
    const agent = meteredAgent([thousandDeltas], { modelId: 'home-made-7b' });
    const session = await agent.createSession();
    const { events } = await collect(session.run('Hi'));
    expect(estimates(events).length).toBeGreaterThan(0);
    for (const data of updates(events)) expect(data).not.toHaveProperty('contextWindow');
    expect(sessionUpdates(events).at(-1)).toMatchObject({ contextTokens: 1910 });
    await agent.close();
  });

  it('takes windows from the modelInfo option, over the built-in table', async () => {
    for (const [modelId, modelInfo, window] of [
      ['home-made-7b', { 'scripted:home-made-7b': { contextWindow: 32_000 } }, 32_000],
      ['gpt-4.1', { 'gpt-4.1': { contextWindow: 500_000, maxOutputTokens: 8_000 } }, 500_000],
    ] as const) {
      const agent = meteredAgent([thousandDeltas], { modelId }, { modelInfo });
      const session = await agent.createSession();
      const { events } = await collect(session.run('Hi'));
      const windows = updates(events).map((data) => data.contextWindow);
      expect(windows.length).toBeGreaterThan(2);
      expect(new Set(windows)).toEqual(new Set([window]));
      await agent.close();
    }
  });

  it('compacts before the prompt outgrows a model window smaller than the compaction budget', async () => {
    const agent = meteredAgent(
      () => ({ text: 'y'.repeat(300), usage: { inputTokens: 10, outputTokens: 75 } }),
      { modelId: 'tiny' },
      { modelInfo: { tiny: { contextWindow: 400 } } }, // compaction keeps its 128k default
    );
    const all = recordBus(agent.bus);
    const session = await agent.createSession();
    for (const text of ['one', 'two', 'three', 'four', 'five']) await collect(session.run(text));
    expect(all.some((event) => event.type === 'context.compacted')).toBe(true);
    await agent.close();
  });

  it('sends no run updates with liveUsage: false, and refuses more than ten estimates a second', async () => {
    const agent = meteredAgent([thousandDeltas], {}, { liveUsage: false });
    const session = await agent.createSession();
    const { events } = await collect(session.run('Hi'));
    expect(updates(events).map((data) => data.scope)).toEqual(['session']);
    await agent.close();
    expect(() => meteredAgent([], {}, { liveUsage: { intervalMs: 50 } })).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_OPTIONS' }),
    );
  });
});

describe('the live usage meter against the testkit model server', () => {
  it('estimates while a slow answer streams, then agrees with generation.finished', async () => {
    await using t = await startTestAgent(
      [
        {
          text: Array.from({ length: 12 }, (_, index) => `chunk ${index} of a slow answer. `),
          delayMs: 30,
          usage: { inputTokens: 42, outputTokens: 70 },
        },
      ],
      { model: 'openai-compatible:gpt-4o-mini' },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('Take your time'));
    // 11 gaps of 30 ms after the first token: at least one estimate is due (how many depends on
    // the machine's load; the tests above count them on an injected clock), each counting more.
    const live = estimates(events);
    expect(live.length).toBeGreaterThanOrEqual(1);
    for (let index = 1; index < live.length; index++)
      expect(live[index]!.call!.outputTokens).toBeGreaterThan(live[index - 1]!.call!.outputTokens!);
    const generation = events.find((event) => event.type === 'generation.finished')!;
    expect(exactRun(events)).toEqual([
      expect.objectContaining({
        call: (generation.data as { usage: object }).usage,
        usage: result.usage,
        contextTokens: 112,
        contextWindow: 128_000,
      }),
    ]);
    expect(reduceEvents(events).meter).toMatchObject({
      estimated: false,
      outputTokens: 70,
      contextTokens: 112,
      contextWindow: 128_000,
    });
  });
});
