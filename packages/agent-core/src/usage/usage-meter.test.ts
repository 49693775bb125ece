import { EventBus, type AgentEvent } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { RunEmitter } from '../loop/run-emitter.js';
import { createCostOf, createPriceTable } from './price-table.js';
import { tokensPerSecond, UsageMeter, type UsageMeterInit } from './usage-meter.js';

/** A meter on a real bus whose clock (shared with the bus) the test moves by hand. */
function harness(init: Partial<UsageMeterInit> = {}) {
  let now = 1_000;
  const bus = new EventBus({ now: () => now });
  const updates: AgentEvent<'usage.updated'>[] = [];
  bus.on('usage.updated', (event) => void updates.push(event));
  const meter = new UsageMeter({
    emitter: new RunEmitter(bus, { sessionId: 'ses_1', runId: 'run_1' }),
    now: () => now,
    generationId: 'gen_1',
    intervalMs: 100,
    base: { usage: {}, costUsd: undefined },
    ownContext: true,
    contextWindow: () => 128_000,
    promptTokens: () => 500,
    ...init,
  });
  meter.open('openai.chat', 'gpt-4o-mini');
  return {
    meter,
    /** The updates sent so far (the bus delivers asynchronously). */
    updates: async () => {
      await bus.flush();
      return updates;
    },
    tick: (ms: number) => void (now += ms),
  };
}

describe('UsageMeter', () => {
  it('1000 deltas within one second: at most ten estimates, at least 100 ms apart, growing', async () => {
    const { meter, updates: sent, tick } = harness();
    for (let delta = 0; delta < 1000; delta++) {
      meter.add(4, false);
      tick(1);
    }
    const updates = await sent();
    expect(updates.length).toBeLessThanOrEqual(10);
    expect(updates).toHaveLength(9); // one per full 100 ms after the first token
    for (let index = 1; index < updates.length; index++) {
      expect(updates[index]!.ts - updates[index - 1]!.ts).toBeGreaterThanOrEqual(100);
      expect(updates[index]!.data.call!.outputTokens!).toBeGreaterThan(
        updates[index - 1]!.data.call!.outputTokens!,
      );
    }
    for (const update of updates)
      expect(update.data).toMatchObject({ scope: 'run', estimated: true });
  });

  it('estimates 4 characters a token, tokens per second since the first token, context against the window', async () => {
    const { meter, updates: sent, tick } = harness();
    meter.add(2, true); // first token at t=1000
    tick(50);
    meter.add(10, true);
    tick(150);
    meter.add(28, false); // 40 characters in all, 200 ms after the first token
    const updates = await sent();
    expect(updates).toHaveLength(1);
    expect(updates[0]!.data).toEqual({
      scope: 'run',
      generationId: 'gen_1',
      estimated: true,
      usage: { inputTokens: 500, outputTokens: 10, totalTokens: 510, reasoningTokens: 3 },
      call: { inputTokens: 500, outputTokens: 10, totalTokens: 510, reasoningTokens: 3 },
      tokensPerSecond: 50,
      contextTokens: 510,
      contextWindow: 128_000,
    });
  });

  it("adds the run's totals and prices the estimate; a summary or a sub-agent call has no context numbers", async () => {
    const {
      meter,
      updates: sent,
      tick,
    } = harness({
      base: { usage: { inputTokens: 1000, outputTokens: 100 }, costUsd: 0.5 },
      ownContext: false,
      costOf: createCostOf(createPriceTable()),
    });
    meter.add(400, false);
    tick(100);
    meter.add(400, false);
    const updates = await sent();
    const data = updates[0]!.data;
    expect(data.usage).toMatchObject({ inputTokens: 1500, outputTokens: 300 });
    // gpt-4o-mini: 500 prompt tokens at 0.15 $, 200 output tokens at 0.6 $ per million.
    expect(data.cost!.amount).toBeCloseTo(0.5 + (500 * 0.15 + 200 * 0.6) / 1e6, 12);
    expect(data).not.toHaveProperty('contextTokens');
    expect(data).not.toHaveProperty('contextWindow');
  });

  it('sends nothing for a call that streams for less than one interval, and asks the prompt size lazily', async () => {
    let asked = 0;
    const { meter, updates: sent, tick } = harness({ promptTokens: () => ++asked });
    for (let delta = 0; delta < 50; delta++) {
      meter.add(3, false);
      tick(1);
    }
    const updates = await sent();
    expect(updates).toEqual([]);
    expect(asked).toBe(0);
  });

  it('leaves the window out for a model it does not know', async () => {
    const { meter, updates: sent, tick } = harness({ contextWindow: () => undefined });
    meter.add(8, false);
    tick(120);
    meter.add(8, false);
    const updates = await sent();
    expect(updates[0]!.data).toHaveProperty('contextTokens');
    expect(updates[0]!.data).not.toHaveProperty('contextWindow');
  });
});

describe('tokensPerSecond', () => {
  it('is tokens over streaming seconds, to one decimal; undefined without tokens or time', () => {
    expect(tokensPerSecond(30, 1000)).toBe(30);
    expect(tokensPerSecond(1, 3)).toBe(333.3);
    expect(tokensPerSecond(0, 10)).toBeUndefined();
    expect(tokensPerSecond(5, 0)).toBeUndefined();
  });
});
