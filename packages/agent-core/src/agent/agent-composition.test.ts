import { describe, expect, it } from 'vitest';
import { startModelServer } from '@switchboard/testkit';
import { runInvoiceHandoff } from '../test-helpers/invoice-handoff.js';
import { collect, dataOf } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { createAgent } from './agent.js';

describe('handoff and sub-agents', () => {
  it('hands the conversation to another agent, which continues in a new run', async () => {
    await using handoff = await runInvoiceHandoff('invoice question');
    const { all, first, target, billingServer } = handoff;
    expect(first.result.handoffTo).toMatchObject({ agentName: 'billing' });
    expect(dataOf(first.events, 'agent.handoff')).toMatchObject({
      fromAgent: 'triage',
      toAgent: 'billing',
      reason: 'invoice question',
    });
    const second = all.filter((event) => event.runId === target);
    expect(dataOf(second, 'run.started')).toMatchObject({
      trigger: 'handoff',
      agent: { name: 'billing' },
    });
    expect(dataOf(second, 'run.finished')).toMatchObject({ stopReason: 'completed' });
    // The billing model saw the whole conversation.
    expect(JSON.stringify(billingServer.requests[0]!.body)).toContain('Is my invoice paid?');
  });

  it('runs a sub-agent as a tool in a nested run with parentRunId', async () => {
    const researchServer = await startModelServer({ script: [{ text: 'Found 3 papers.' }] });
    try {
      const researcher = createAgent({
        name: 'researcher',
        model: 'openai-compatible:r',
        env: { SWITCHBOARD_BASE_URL: researchServer.baseUrl },
      });
      await using t = await startTestAgent(
        [
          { toolCalls: [{ id: 's1', name: 'research', args: { task: 'find papers on SSE' } }] },
          { text: 'The researcher found 3 papers.' },
        ],
        { tools: { research: researcher.asTool({ description: 'Delegate research' }) } },
      );
      const session = await t.agent.createSession();
      const { events, result } = await collect(session.run('research SSE'));
      expect(result.text).toBe('The researcher found 3 papers.');
      const child = events.filter((event) => event.runId !== result.runId);
      expect(child.length).toBeGreaterThan(0);
      expect(
        child.every(
          (event) => event.parentRunId === result.runId && event.sessionId === session.id,
        ),
      ).toBe(true);
      expect(dataOf(child, 'run.started')).toMatchObject({
        trigger: 'subagent',
        parentToolCallId: 's1',
      });
      expect(dataOf(events, 'tool_call.completed')).toMatchObject({
        toolCallId: 's1',
        output: 'Found 3 papers.',
      });
      expect(JSON.stringify(researchServer.requests[0]!.body)).toContain('find papers on SSE');
    } finally {
      await researchServer.close();
    }
  });
});

describe('context compaction', () => {
  it('summarises older turns near the window, keeps the display transcript whole', async () => {
    await using t = await startTestAgent(
      (request) => {
        const body = request.body as { messages: Array<{ role: string; content: unknown }> };
        const system = JSON.stringify(body.messages[0]?.content ?? '');
        if (system.startsWith('"Summarise')) return { text: 'Earlier: the user counted to three.' };
        return { text: 'x'.repeat(400) };
      },
      { compaction: { contextWindow: 400, threshold: 0.5, keepRecent: 2 } },
    );
    const session = await t.agent.createSession();
    await collect(session.run('one'));
    await collect(session.run('two'));
    const { events } = await collect(session.run('three'));
    const compacted = dataOf<{
      archivedMessages: number;
      tokensBefore: number;
      tokensAfter: number;
    }>(events, 'context.compacted');
    expect(compacted.archivedMessages).toBeGreaterThan(0);
    expect(compacted.tokensAfter).toBeLessThan(compacted.tokensBefore);
    const transcript = session.transcript;
    expect(transcript.filter((entry) => entry.display.archived).length).toBe(
      compacted.archivedMessages,
    );
    expect(transcript.some((entry) => entry.display.source === 'summary')).toBe(true);
    const last = t.server.requests.at(-1)!.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(JSON.stringify(last.messages)).toContain('Earlier: the user counted to three.');
    expect(JSON.stringify(last.messages)).not.toContain('"one"');
  });
});
