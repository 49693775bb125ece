import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EventBus,
  initialSessionView,
  reduceEvents,
  reduceSession,
  summarize,
  toMarkdown,
  type SessionView,
  type ToolCallItem,
} from '@switchboard/events';
import { JsonlSink, readJsonlEventArray } from '@switchboard/events/node';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { collect, recordBus } from './test-helpers/run-helpers.js';
import { startTestAgent } from './test-helpers/test-agent.js';
import { defineTool } from './tools/define-tool.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'view-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const remove = defineTool({
  description: 'Delete a file',
  inputSchema: z.object({ path: z.string() }),
  approval: 'always',
  execute: ({ path: file }) => `removed ${file}`,
});
const read = defineTool({
  description: 'Read a file',
  inputSchema: z.object({ path: z.string() }),
  execute: ({ path: file }) => `contents of ${file}`,
});

const tools = (view: SessionView) =>
  view.items.toArray().filter((item): item is ToolCallItem => item.kind === 'tool_call');

describe('the session view of a real agent run', () => {
  it('matches what the runs did (tools, approval, cancel) and survives a JSONL round trip', async () => {
    const sink = await JsonlSink.open(path.join(dir, 'session.jsonl'));
    const bus = new EventBus({ sinks: [sink] });
    await using t = await startTestAgent(
      [
        {
          reasoning: ['Two ', 'files.'],
          text: 'Cleaning up.',
          toolCalls: [
            { id: 'c1', name: 'remove', args: { path: '/x' } },
            { id: 'c2', name: 'read', args: { path: '/y' } },
          ],
          usage: { inputTokens: 10, outputTokens: 5 },
        },
        {
          text: ['Removed ', '/x.'],
          usage: { inputTokens: 20, outputTokens: 3, cachedInputTokens: 8 },
        },
        { text: ['Once ', 'upon ', 'a ', 'time'], stallAfterChunks: 3 },
      ],
      { tools: { remove, read }, bus },
    );
    const all = recordBus(t.agent.bus);
    // Live: reduce every event as it is emitted, as a UI would.
    let live = initialSessionView();
    t.agent.bus.on('*', (event) => void (live = reduceSession(live, event)));
    const session = await t.agent.createSession();

    const first = await collect(session.run('clean up'));
    expect(first.result.stopReason).toBe('awaiting_input');
    expect(live.run).toMatchObject({
      runId: first.result.runId,
      status: 'finished',
      stopReason: 'awaiting_input',
    });
    expect(live.approvals).toEqual([
      expect.objectContaining({ toolCallId: 'c1', toolName: 'remove', input: { path: '/x' } }),
    ]);
    expect(tools(live).map((call) => [call.id, call.toolName, call.status])).toEqual([
      ['c1', 'remove', 'awaiting_approval'],
      ['c2', 'read', 'completed'],
    ]);

    await session.respond(first.result.pending[0]!.requestId, { approved: true });
    const second = await collect(session.resume());
    expect(second.result.stopReason).toBe('completed');
    expect(live.approvals).toEqual([]);

    const story = session.run('tell a story');
    for await (const event of story) {
      if (event.type === 'message.delta' && (event.data as { delta: string }).delta === 'upon ')
        session.cancel();
    }
    const third = await story.result;
    expect(third.stopReason).toBe('cancelled');
    await t.agent.bus.flush();
    await sink.close();

    // What the runs did, as the view shows it.
    const messages = live.items
      .toArray()
      .filter((item) => item.kind === 'message')
      .map((item) => [item.role, item.text, item.status]);
    expect(messages).toEqual([
      ['user', 'clean up', 'completed'],
      ['assistant', 'Cleaning up.', 'completed'],
      ['assistant', second.result.text, 'completed'],
      ['user', 'tell a story', 'completed'],
      ['assistant', third.text, 'cancelled'],
    ]);
    expect(third.text).toBe('Once upon ');
    expect(live.items.toArray().find((item) => item.kind === 'reasoning')).toMatchObject({
      text: 'Two files.',
      status: 'completed',
    });
    const [c1, c2] = tools(live);
    expect(c1).toMatchObject({
      toolName: 'remove',
      status: 'completed',
      input: { path: '/x' },
      output: 'removed /x',
      approval: { status: 'approved' },
      runId: first.result.runId,
    });
    expect(c2).toMatchObject({ toolName: 'read', status: 'completed', output: 'contents of /y' });
    for (const call of [c1!, c2!]) expect(call.durationMs).toBeGreaterThanOrEqual(0);
    const results = [first.result, second.result, third];
    const sum = (key: 'inputTokens' | 'outputTokens') =>
      results.reduce((total, result) => total + (result.usage?.[key] ?? 0), 0);
    expect(live.usage).toMatchObject({
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
    });
    expect(live.usage.inputTokens).toBe(30);
    expect(live).toMatchObject({
      sessionId: session.id,
      runCount: 3,
      lastSeq: all.at(-1)!.seq,
      open: [],
      run: { runId: third.runId, status: 'finished', stopReason: 'cancelled' },
    });

    // The same view from the recorded events, and from the JSONL file read back.
    const fromFile = await readJsonlEventArray(path.join(dir, 'session.jsonl'));
    expect(fromFile).toHaveLength(all.length);
    expect(reduceEvents(all)).toEqual(live);
    expect(reduceEvents(fromFile)).toEqual(live);
    expect(JSON.stringify(reduceEvents(fromFile))).toBe(JSON.stringify(live));

    // The transcript and numbers agree with the view.
    const md = toMarkdown(fromFile);
    expect(md).toContain('**Tool call** `remove` (completed');
    expect(md).toContain('Approval: approved');
    expect(md).toContain('**Assistant:** _(cancelled)_\n\nOnce upon ');
    expect(summarize(fromFile)).toMatchObject({
      runs: 3,
      turns: 2,
      toolCalls: {
        total: 2,
        byName: { remove: { byStatus: { completed: 1 } }, read: { byStatus: { completed: 1 } } },
      },
      tokens: { input: 30, output: sum('outputTokens'), cached: 8 },
      latency: { runDurationMs: { count: 3 } },
    });
  });
});
