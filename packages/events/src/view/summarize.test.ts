import { describe, expect, it } from 'vitest';
import { loadFixture } from '../fixtures/index.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { percentiles, summarize } from './summarize.js';

function event(seq: number, type: string, data: unknown): AnyEvent {
  return { v: 1, type, seq, ts: 1000 + seq, sessionId: 's', runId: `r${seq}`, data };
}

describe('summarize', () => {
  it('multi-tool: messages, tool calls by name and status, tokens, latencies, errors by code', () => {
    const summary = summarize(loadFixture('multi-tool'));
    expect(summary).toMatchObject({
      sessionId: 'ses_tools',
      runs: 1,
      turns: 1,
      messages: { user: 1, assistant: 2, total: 3 },
      toolCalls: {
        total: 2,
        byName: { weather: { total: 2, byStatus: { completed: 1, failed: 1 } } },
      },
      tokens: { input: 130, output: 50, cached: 40, reasoning: 0, total: 180 },
      latency: { runDurationMs: { count: 1, p50: 6200, p95: 6200 } },
      errors: { total: 1, byCode: { CORE_TOOL_TIMEOUT: 1 } },
    });
  });

  it('approval and plain-chat: runs across a resume, cost, time to first token', () => {
    const approval = summarize(loadFixture('approval'));
    expect(approval).toMatchObject({
      runs: 2,
      turns: 1,
      toolCalls: { byName: { remove: { byStatus: { completed: 1 } } } },
    });
    expect(approval.tokens.input).toBe(75);
    expect(approval.latency.runDurationMs.count).toBe(2);
    const plain = summarize(loadFixture('plain-chat'));
    expect(plain).toMatchObject({
      title: 'Greeting',
      cost: { amount: 0.00012, currency: 'USD' },
      errors: { total: 0 },
    });
    const ttft = loadFixture('plain-chat')
      .filter((e) => e.type === 'generation.finished')
      .map((e) => (e.data as { timeToFirstTokenMs?: number }).timeToFirstTokenMs);
    expect(plain.latency.timeToFirstTokenMs).toEqual(
      ttft[0] === undefined ? { count: 0 } : { count: 1, p50: ttft[0], p95: ttft[0] },
    );
  });

  it('counts a replayed duplicate once and percentiles by nearest rank', () => {
    const runs = Array.from({ length: 20 }, (_, i) => [
      event(i * 3 + 1, 'run.started', { trigger: 'user' }),
      event(i * 3 + 2, 'generation.finished', {
        generationId: `g${i}`,
        provider: 'p',
        model: 'm',
        finishReason: 'stop',
        timeToFirstTokenMs: (i + 1) * 10,
        usage: { inputTokens: 1, outputTokens: 2 },
        ...(i === 0 ? { error: { message: 'x' } } : {}),
      }),
      event(i * 3 + 3, 'run.finished', { stopReason: 'completed', durationMs: (i + 1) * 100 }),
    ]).flat();
    const fixed = runs.map((e, i) => ({ ...e, runId: `r${Math.floor(i / 3)}` }));
    const summary = summarize([...fixed, ...fixed.slice(0, 10)]);
    expect(summary.runs).toBe(20);
    expect(summary.tokens).toMatchObject({ input: 20, output: 40, total: 60 });
    expect(summary.latency.timeToFirstTokenMs).toEqual({ count: 20, p50: 100, p95: 190 });
    expect(summary.latency.runDurationMs).toEqual({ count: 20, p50: 1000, p95: 1900 });
    expect(summary.errors).toEqual({ total: 1, byCode: { UNKNOWN: 1 } });
    expect(percentiles([])).toEqual({ count: 0 });
    expect(percentiles([5])).toEqual({ count: 1, p50: 5, p95: 5 });
  });

  it('provider-retry and delegation: retried attempts count as errors; sub-agent runs are not top-level', () => {
    expect(summarize(loadFixture('provider-retry'))).toMatchObject({
      runs: 2,
      turns: 2,
      latency: {
        timeToFirstTokenMs: { count: 1, p50: 20700 },
        runDurationMs: { count: 2, p95: 20950 },
      },
      errors: {
        total: 5,
        byCode: {
          CORE_PROVIDER_RATE_LIMIT: 1,
          CORE_PROVIDER_UNAVAILABLE: 1,
          CORE_PROVIDER_NO_RESPONSE: 3,
        },
      },
    });
    expect(summarize(loadFixture('delegation'))).toMatchObject({
      runs: 2,
      messages: { user: 1, assistant: 2 },
      toolCalls: { total: 2 },
      tokens: { input: 1700, output: 181, total: 1881 },
      latency: { runDurationMs: { count: 2, p50: 270, p95: 1800 } },
      errors: { total: 0 },
    });
  });
});
