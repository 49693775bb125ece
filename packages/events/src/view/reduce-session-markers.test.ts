import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, loadFixture } from '../fixtures/index.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { compactionLine, handoffLine } from './marker-items.js';
import { reduceEvents } from './reduce-session.js';
import { toMarkdown } from './to-markdown.js';

const kinds = (events: AnyEvent[]) =>
  reduceEvents(events)
    .items.toArray()
    .map((i) => i.kind);

describe('compaction and handoff markers', () => {
  it('delegation: a compaction marker before the answer and a handoff marker before the target run', () => {
    const view = reduceEvents(loadFixture('delegation'));
    expect(kinds(loadFixture('delegation'))).toEqual([
      'message',
      'compaction',
      'tool_call',
      'message',
      'tool_call',
      'handoff',
      'message',
    ]);
    const items = view.items.toArray();
    expect(items[1]).toEqual({
      kind: 'compaction',
      id: 'cmp_01',
      strategy: 'summarise',
      archivedMessages: 12,
      tokensBefore: 104000,
      tokensAfter: 9000,
      estimated: true,
      runId: 'run_01',
      startedAt: 1795348800056,
    });
    expect(items[5]).toEqual({
      kind: 'handoff',
      fromAgent: 'triage',
      toAgent: 'billing',
      reason: 'refund request',
      toRunId: 'run_03',
      runId: 'run_01',
      startedAt: 1795348800252,
    });
  });

  it('a replayed compaction (same id, a resumed stream past lastSeq) is not shown twice', () => {
    const events = loadFixture('delegation');
    const compaction = events.find((e) => e.type === 'context.compacted')!;
    const again = { ...compaction, seq: events.length + 1 };
    const view = reduceEvents([...events, again]);
    expect(view.items.toArray().filter((i) => i.kind === 'compaction')).toHaveLength(1);
  });

  it('every other golden fixture has no markers', () => {
    for (const name of FIXTURE_NAMES.filter((n) => n !== 'delegation'))
      expect(kinds(loadFixture(name)), name).not.toContain('compaction');
  });

  it('toMarkdown prints both markers in place, with the handoff summary quoted', () => {
    const markdown = toMarkdown(loadFixture('delegation'));
    expect(markdown).toContain(
      '--- _Context compacted (summarise): 12 messages, 104,000 → 9,000 tokens (estimated)_ ---',
    );
    expect(markdown).toContain('--- _Handed off from triage to billing: refund request_ ---');
    expect(markdown.indexOf('Context compacted')).toBeLessThan(
      markdown.indexOf('Handed off from triage'),
    );
    const summarised = toMarkdown([
      {
        v: 1,
        type: 'agent.handoff',
        seq: 1,
        ts: 1,
        sessionId: 's',
        runId: 'r',
        data: { fromAgent: 'a', toAgent: 'b', summary: 'The user wants a refund.' },
      },
    ]);
    expect(summarised).toBe('--- _Handed off from a to b_ ---\n\n> The user wants a refund.\n');
  });

  it('one-line forms: singular, exact counts', () => {
    expect(
      compactionLine({
        kind: 'compaction',
        id: 'c',
        strategy: 'truncate',
        archivedMessages: 1,
        tokensBefore: 1234567,
        tokensAfter: 999,
        startedAt: 0,
      }),
    ).toBe('Context compacted (truncate): 1 message, 1,234,567 → 999 tokens');
    expect(handoffLine({ kind: 'handoff', fromAgent: 'x', toAgent: 'y', startedAt: 0 })).toBe(
      'Handed off from x to y',
    );
  });
});

describe('view.turns: usage per top-level run', () => {
  it('delegation: the sub-agent counts in its parent turn; the handoff target is a turn of its own', () => {
    const view = reduceEvents(loadFixture('delegation'));
    expect(view.turns.toArray()).toEqual([
      {
        runId: 'run_01',
        status: 'finished',
        trigger: 'user',
        agent: 'triage',
        model: 'openai:gpt-test',
        startedAt: expect.any(Number),
        durationMs: 1800,
        usage: {
          inputTokens: 1400,
          outputTokens: 167,
          totalTokens: 1567,
          cachedInputTokens: 0,
          reasoningTokens: 0,
        },
      },
      {
        runId: 'run_03',
        status: 'finished',
        trigger: 'handoff',
        agent: 'billing',
        model: 'openai:gpt-test',
        startedAt: expect.any(Number),
        durationMs: 270,
        usage: {
          inputTokens: 300,
          outputTokens: 14,
          totalTokens: 314,
          cachedInputTokens: 0,
          reasoningTokens: 0,
        },
      },
    ]);
    expect(view.turns.size).toBe(view.runCount);
  });

  it('while a turn runs it sums its model calls and its sub-agents’, before run.finished', () => {
    const events = loadFixture('delegation');
    const end = events.findIndex((e) => e.type === 'run.finished' && e.runId === 'run_01');
    const turn = reduceEvents(events.slice(0, end)).turns.get(0)!;
    // gen_01 (compaction 900/120) + gen_02 (200/20) + run_02's gen_03 (60/12) + gen_04 (240/15).
    expect(turn).toMatchObject({
      status: 'running',
      usage: { inputTokens: 1400, outputTokens: 167 },
    });
    expect(turn.durationMs).toBeUndefined();
  });

  it('titled: the title call after a turn is not part of it; costs are per turn', () => {
    const view = reduceEvents(loadFixture('titled'));
    const turns = view.turns.toArray();
    expect(turns.map((t) => [t.runId, t.usage.inputTokens, t.usage.outputTokens])).toEqual([
      ['run_01', 30, 20],
      ['run_02', 60, 4],
    ]);
    expect(turns[0]!.usage.cost).toEqual({ amount: 0.0002, currency: 'USD' });
    expect(turns.every((t) => t.status === 'finished' && typeof t.durationMs === 'number')).toBe(
      true,
    );
  });

  it('a failed run is a failed turn; every fixture has one turn per top-level run', () => {
    for (const name of FIXTURE_NAMES) {
      const view = reduceEvents(loadFixture(name));
      expect(view.turns.size, name).toBe(view.runCount);
      const last = view.turns.last();
      if (view.run !== undefined) expect(last?.status, name).toBe(view.run.status);
    }
  });
});
