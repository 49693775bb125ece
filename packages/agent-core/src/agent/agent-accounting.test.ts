import { startModelServer } from '@switchboard/testkit';
import type { AnyEvent } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { collect, dataOf, recordBus, waitFor } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { createAgent } from './agent.js';

type Usage = { inputTokens?: number; outputTokens?: number };

const finishedGenerations = (events: readonly AnyEvent[]) =>
  events.filter((event) => event.type === 'generation.finished');

const sumInput = (events: readonly AnyEvent[]) =>
  finishedGenerations(events).reduce(
    (sum, event) => sum + ((event.data as { usage?: Usage }).usage?.inputTokens ?? 0),
    0,
  );

const sessionTotals = (events: readonly AnyEvent[]) =>
  events
    .filter(
      (event) =>
        event.type === 'usage.updated' && (event.data as { scope: string }).scope === 'session',
    )
    .map((event) => (event.data as { usage: Usage }).usage.inputTokens ?? 0);

describe('every model call is a counted generation', () => {
  it('reports compaction summaries as generations with usage, counted in the session', async () => {
    await using t = await startTestAgent(
      (request) => {
        const body = request.body as { messages: Array<{ role: string; content: unknown }> };
        const system = JSON.stringify(body.messages[0]?.content ?? '');
        if (system.startsWith('"Summarise'))
          return { text: 'Earlier: counting.', usage: { inputTokens: 300, outputTokens: 7 } };
        return { text: 'x'.repeat(400), usage: { inputTokens: 40, outputTokens: 100 } };
      },
      { compaction: { contextWindow: 400, threshold: 0.5, keepRecent: 2 } },
    );
    const all = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    for (const text of ['one', 'two', 'three', 'four']) await collect(session.run(text));
    const summaries = finishedGenerations(all).filter(
      (event) => (event.data as { purpose?: string }).purpose === 'compaction',
    );
    expect(summaries.length).toBeGreaterThan(0);
    expect(summaries[0]!.data).toMatchObject({ usage: { inputTokens: 300, outputTokens: 7 } });
    // One generation per request the provider saw, and the session counts them all.
    expect(finishedGenerations(all)).toHaveLength(t.server.requests.length);
    expect(session.usage.apiCalls).toBe(t.server.requests.length);
    expect(session.usage.usage.inputTokens).toBe(sumInput(all));
    expect(sessionTotals(all).at(-1)).toBe(sumInput(all));
    // The context fill after a summary is the next turn's to report, not the summary's prompt.
    const at = all.indexOf(summaries[0]!);
    const afterSummary = all.slice(at + 1, at + 3);
    expect(
      afterSummary.map((event) => `${event.type}:${(event.data as { scope?: string }).scope}`),
    ).toEqual(['usage.updated:run', 'usage.updated:session']);
    for (const update of afterSummary) expect(update.data).not.toHaveProperty('contextTokens');
    // The summary is internal: it is not streamed as an assistant message.
    const texts = all
      .filter((event) => event.type === 'message.completed')
      .map((event) => (event.data as { text: string }).text);
    expect(texts).not.toContain('Earlier: counting.');
  });

  it('adds sub-agent calls to the session total, which never goes down, and to the calling run', async () => {
    const researchServer = await startModelServer({
      script: [{ text: 'Found 3 papers.', usage: { inputTokens: 50, outputTokens: 5 } }],
    });
    try {
      const researcher = createAgent({
        name: 'researcher',
        model: 'openai-compatible:r',
        env: { SWITCHBOARD_BASE_URL: researchServer.baseUrl },
      });
      await using t = await startTestAgent(
        [
          {
            toolCalls: [{ id: 's1', name: 'research', args: { task: 'find papers' } }],
            usage: { inputTokens: 11, outputTokens: 3 },
          },
          { text: 'Three papers.', usage: { inputTokens: 22, outputTokens: 4 } },
        ],
        { tools: { research: researcher.asTool({ description: 'Delegate research' }) } },
      );
      const session = await t.agent.createSession();
      const { events, result } = await collect(session.run('research SSE'));
      expect(finishedGenerations(events)).toHaveLength(3);
      expect(sumInput(events)).toBe(83);
      expect(session.usage).toMatchObject({ apiCalls: 3, usage: { inputTokens: 83 } });
      const totals = sessionTotals(events);
      expect(totals).toEqual([11, 61, 83]);
      // The child's own context is not the session's context fill.
      const childUpdates = events.filter(
        (event) => event.type === 'usage.updated' && event.parentRunId === result.runId,
      );
      expect(childUpdates).toHaveLength(2); // the child run's meter and the session total
      for (const update of childUpdates) expect(update.data).not.toHaveProperty('contextTokens');
      // The calling run's total includes its sub-agent's run.
      expect(result.usage).toMatchObject({ inputTokens: 83, outputTokens: 12 });
      expect(dataOf(events, 'run.finished')).toMatchObject({ usage: { inputTokens: 50 } });
      expect(events.at(-1)).toMatchObject({
        type: 'run.finished',
        runId: result.runId,
        data: { usage: { inputTokens: 83 } },
      });
    } finally {
      await researchServer.close();
    }
  });
});

describe('handoff continuation', () => {
  it('is a top-level run linked to the run that handed over', async () => {
    const billingServer = await startModelServer({ script: [{ text: 'Billing here.' }] });
    try {
      const billing = createAgent({
        name: 'billing',
        model: 'openai-compatible:billing',
        env: { SWITCHBOARD_BASE_URL: billingServer.baseUrl },
        titles: { enabled: false }, // its server has one scripted turn, for the handoff run
      });
      await using t = await startTestAgent(
        [{ toolCalls: [{ id: 'h1', name: 'transfer_to_billing', args: {} }] }],
        { name: 'triage', handoffs: [billing] },
      );
      const all = recordBus(t.agent.bus);
      const session = await t.agent.createSession();
      const first = await collect(session.run('Is my invoice paid?'));
      const toRunId = first.result.handoffTo!.runId;
      await waitFor(() =>
        all.some((event) => event.type === 'run.finished' && event.runId === toRunId),
      );
      const started = all.find((event) => event.type === 'run.started' && event.runId === toRunId)!;
      expect(started.parentRunId).toBeUndefined();
      expect(started.data).toMatchObject({
        trigger: 'handoff',
        handoffFromRunId: first.result.runId,
      });
      expect(dataOf(first.events, 'agent.handoff')).toMatchObject({ toRunId });
    } finally {
      await billingServer.close();
    }
  });
});
