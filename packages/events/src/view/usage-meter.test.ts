import { describe, expect, it } from 'vitest';
import { loadFixture } from '../fixtures/index.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { reduceEvents } from './reduce-session.js';
import { summarize } from './summarize.js';
import { tokensPerSecond } from './usage-meter.js';

const isEstimate = (event: AnyEvent) =>
  event.type === 'usage.updated' && (event.data as { estimated?: boolean }).estimated === true;

describe('the live usage meter on the live-usage fixture', () => {
  const events = loadFixture('live-usage');
  const finishedAt = events.findIndex((event) => event.type === 'generation.finished');
  const lastEstimate = events.findLastIndex(isEstimate);

  it('is estimated while the call streams: output tokens, tokens per second, context used vs window', () => {
    const mid = reduceEvents(events.slice(0, lastEstimate + 1));
    expect(mid.meter).toMatchObject({
      runId: 'run_01',
      generationId: 'gen_01',
      estimated: true,
      inputTokens: 1180,
      contextWindow: 128_000,
    });
    expect(mid.meter!.outputTokens).toBeGreaterThan(0);
    expect(mid.meter!.tokensPerSecond).toBeGreaterThan(0);
    expect(mid.meter!.contextTokens).toBe(1180 + mid.meter!.outputTokens);
    expect(mid.context).toMatchObject({ window: 128_000, estimated: true });
    // The estimate grows with the stream.
    const earlier = reduceEvents(events.slice(0, events.findIndex(isEstimate) + 1));
    expect(earlier.meter!.outputTokens).toBeLessThan(mid.meter!.outputTokens);
  });

  it('leaves the run and session totals alone until the call is exact', () => {
    const mid = reduceEvents(events.slice(0, lastEstimate + 1));
    expect(mid.usage.outputTokens).toBe(0);
    expect(mid.run!.usage.outputTokens).toBe(0);
  });

  it('becomes exact with generation.finished, and the exact update agrees with it', () => {
    const finished = reduceEvents(events.slice(0, finishedAt + 1));
    expect(finished.meter).toMatchObject({
      estimated: false,
      inputTokens: 1164,
      outputTokens: 52,
      reasoningTokens: 17,
      contextTokens: 1216,
      contextWindow: 128_000,
    });
    const end = reduceEvents(events);
    expect(end.meter).toEqual({ ...finished.meter, updatedAt: end.meter!.updatedAt });
    expect(end.context).toEqual({ tokens: 1216, window: 128_000 });
    expect(end.run!.usage).toMatchObject({ inputTokens: 1164, outputTokens: 52 });
    expect(end.usage).toMatchObject({ inputTokens: 1164, outputTokens: 52, totalTokens: 1216 });
  });

  it('is not counted by summarize: the totals are those without any run-scoped update', () => {
    const withoutRunUpdates = events.filter(
      (event) =>
        event.type !== 'usage.updated' || (event.data as { scope: string }).scope !== 'run',
    );
    const summary = summarize(events);
    expect(summary.tokens).toEqual(summarize(withoutRunUpdates).tokens);
    expect(summary.tokens).toEqual({
      input: 1164,
      output: 52,
      cached: 1024,
      reasoning: 17,
      total: 1216,
    });
    expect(summary.cost).toEqual(summarize(withoutRunUpdates).cost);
  });

  it('ignores a sub-agent run and runs other than the current one', () => {
    const view = reduceEvents(events);
    const child: AnyEvent = {
      ...events[lastEstimate]!,
      seq: view.lastSeq + 1,
      runId: 'run_child',
      parentRunId: 'run_01',
    };
    const next = reduceEvents([child], view);
    expect(next.meter).toBe(view.meter);
  });

  it('gets an exact meter from generation.finished alone (producers without live updates)', () => {
    const view = reduceEvents(loadFixture('plain-chat'));
    expect(view.meter).toMatchObject({
      generationId: 'gen_01',
      estimated: false,
      inputTokens: 21,
      outputTokens: 9,
      contextTokens: 30,
      tokensPerSecond: tokensPerSecond(9, 420 - 180),
    });
  });
});

describe('tokensPerSecond', () => {
  it('is output tokens over streaming seconds, to one decimal; undefined without time or tokens', () => {
    expect(tokensPerSecond(50, 1000)).toBe(50);
    expect(tokensPerSecond(10, 300)).toBe(33.3);
    expect(tokensPerSecond(0, 1000)).toBeUndefined();
    expect(tokensPerSecond(10, 0)).toBeUndefined();
  });
});
