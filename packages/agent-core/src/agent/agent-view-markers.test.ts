import { describe, expect, it } from 'vitest';
import { reduceEvents, toMarkdown, type ViewItem } from '@switchboard/events';
import { runInvoiceHandoff } from '../test-helpers/invoice-handoff.js';
import { collect, recordBus } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';

// The shared view model over what a real agent emits: the markers and the
// per-turn usage a surface draws come from these events, not from fixtures alone.

const kinds = (items: Iterable<ViewItem>) => [...items].map((item) => item.kind);

describe('reduceSession over real agent runs', () => {
  it('a compaction shows as a marker in the turn that compacted, and every turn has usage', async () => {
    await using t = await startTestAgent(
      (request) => {
        const body = request.body as { messages: Array<{ role: string; content: unknown }> };
        const system = JSON.stringify(body.messages[0]?.content ?? '');
        if (system.startsWith('"Summarise')) return { text: 'Earlier: the user counted to three.' };
        return { text: 'x'.repeat(400) };
      },
      { compaction: { contextWindow: 400, threshold: 0.5, keepRecent: 2 } },
    );
    const all = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    for (const text of ['one', 'two', 'three']) await collect(session.run(text));
    const view = reduceEvents(all);
    const compactions = view.items.toArray().filter((item) => item.kind === 'compaction');
    expect(compactions.length).toBeGreaterThan(0);
    const [marker] = compactions;
    expect(marker).toMatchObject({
      strategy: expect.any(String),
      archivedMessages: expect.any(Number),
    });
    expect(marker!.tokensAfter).toBeLessThan(marker!.tokensBefore);
    expect(view.turns.size).toBe(3);
    for (const turn of view.turns) {
      expect(turn.status).toBe('finished');
      expect(turn.usage.outputTokens).toBeGreaterThan(0);
      expect(turn.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(toMarkdown(all)).toMatch(/--- _Context compacted \(\w+\): \d+ messages?, /);
  });

  it('a handoff shows as a marker, and the target agent’s run is a turn of its own', async () => {
    await using handoff = await runInvoiceHandoff('invoice');
    const { all, target } = handoff;
    const view = reduceEvents(all);
    expect(kinds(view.items)).toContain('handoff');
    const marker = view.items.toArray().find((item) => item.kind === 'handoff');
    expect(marker).toMatchObject({ fromAgent: 'triage', toAgent: 'billing', toRunId: target });
    expect(kinds(view.items).at(-1)).toBe('message');
    expect(view.turns.toArray().map((turn) => [turn.trigger, turn.agent])).toEqual([
      ['user', 'triage'],
      ['handoff', 'billing'],
    ]);
    expect(toMarkdown(all)).toContain('--- _Handed off from triage to billing: invoice_ ---');
  });
});
