import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startModelServer } from '@switchboard/testkit';
import type { AnyEvent } from '@switchboard/events';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { collect, dataOf, recordBus, waitFor } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgent } from './agent.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-tool-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = defineTool({
  description: 'Read a file',
  inputSchema: z.object({ path: z.string() }),
  kind: 'read',
  title: ({ path }) => `Reading ${path}`,
  execute: ({ path }) => {
    if (path === '/missing') throw new Error('ENOENT');
    return `contents of ${path}`;
  },
});
const remove = defineTool({
  description: 'Delete a file',
  inputSchema: z.object({ path: z.string() }),
  kind: 'delete',
  title: ({ path }) => `Removing ${path}`,
  approval: 'always',
  execute: ({ path }) => `removed ${path}`,
});

/**
 * Every `tool_call.*` event names its tool, and the name is the one its
 * `tool_call.started` gave (across runs: a resumed call was started by the
 * paused run). Returns the tool events, for more checks.
 */
function expectEveryToolEventNamed(events: readonly AnyEvent[]): AnyEvent[] {
  const started = new Map<string, string>();
  const tool = events.filter((event) => event.type.startsWith('tool_call.'));
  expect(tool.length).toBeGreaterThan(0);
  for (const event of tool) {
    const data = event.data as { toolCallId: string; toolName?: unknown };
    expect(typeof data.toolName, `${event.type} of ${data.toolCallId}`).toBe('string');
    if (event.type === 'tool_call.started') started.set(data.toolCallId, data.toolName as string);
    else
      expect(data.toolName, `${event.type} of ${data.toolCallId}`).toBe(
        started.get(data.toolCallId),
      );
  }
  return tool;
}

const ofCall = (events: readonly AnyEvent[], toolCallId: string) =>
  events.filter((event) => (event.data as { toolCallId?: string }).toolCallId === toolCallId);

describe('tool identity on every tool_call.* event of real runs', () => {
  it('a call that succeeds and one that fails: name on each event, kind from started on, title from ready on', async () => {
    await using t = await startTestAgent(
      [
        {
          toolCalls: [
            { id: 'c1', name: 'read', args: { path: '/a' } },
            { id: 'c2', name: 'read', args: { path: '/missing' } },
          ],
        },
        { text: 'One of them is missing.' },
      ],
      { tools: { read } },
    );
    const session = await t.agent.createSession();
    const { events } = await collect(session.run('read both'));
    const tool = expectEveryToolEventNamed(events);
    const c1 = ofCall(tool, 'c1').filter((event) => event.type !== 'tool_call.args_delta');
    expect(ofCall(tool, 'c1').filter((event) => event.type === 'tool_call.args_delta')).not.toEqual(
      [],
    );
    expect(c1.map((event) => [event.type, event.data])).toEqual([
      ['tool_call.started', expect.objectContaining({ toolName: 'read', kind: 'read' })],
      ['tool_call.ready', expect.objectContaining({ title: 'Reading /a', kind: 'read' })],
      [
        'tool_call.running',
        { toolCallId: 'c1', toolName: 'read', title: 'Reading /a', kind: 'read' },
      ],
      [
        'tool_call.completed',
        expect.objectContaining({ title: 'Reading /a', kind: 'read', status: 'completed' }),
      ],
    ]);
    expect(dataOf(ofCall(tool, 'c2'), 'tool_call.completed')).toMatchObject({
      toolName: 'read',
      title: 'Reading /missing',
      status: 'failed',
    });
  });

  it('a denied approval, and a resumed one after a restart (names from the stored pause)', async () => {
    const server = await startModelServer({
      script: [
        {
          toolCalls: [
            { id: 'c1', name: 'remove', args: { path: '/x' } },
            { id: 'c2', name: 'remove', args: { path: '/y' } },
            { id: 'c3', name: 'read', args: { path: '/z' } },
          ],
        },
        { text: 'Removed /x only.' },
      ],
    });
    const file = path.join(dir, 'sessions.db');
    // A second store instance on the file is the next process; its clock a minute ahead
    // says the first one's lease has expired.
    const agentOn = (store: SqliteSessionStore) =>
      createAgent({
        model: 'openai-compatible:test-model',
        env: { SWITCHBOARD_BASE_URL: server.baseUrl },
        tools: { read, remove },
        store,
      });
    const stores = [
      new SqliteSessionStore({ path: file }),
      new SqliteSessionStore({ path: file, now: () => Date.now() + 60_000 }),
    ];
    try {
      const before = agentOn(stores[0]!);
      const opened = await before.createSession({ id: 'ses_approve' });
      const first = await collect(opened.run('go'));
      expect(first.result.pending.map((request) => request.toolCallId)).toEqual(['c1', 'c2']);
      expect(dataOf(ofCall(first.events, 'c1'), 'tool_call.approval_requested')).toMatchObject({
        toolName: 'remove',
        title: 'Removing /x',
        kind: 'delete',
      });
      await opened.idle();
      // Another agent instance: nothing of the first run is in memory but the stored pause.
      const after = agentOn(stores[1]!);
      const events = recordBus(after.bus);
      const session = await after.loadSession('ses_approve');
      const [allow, deny] = first.result.pending;
      await session.respond(allow!.requestId, { approved: true });
      await session.respond(deny!.requestId, { approved: false, reason: 'keep it' });
      const second = await collect(session.resume());
      expect(second.result.text).toBe('Removed /x only.');
      expectEveryToolEventNamed([...first.events, ...events]);
      expect(ofCall(events, 'c1').map((event) => event.type)).toEqual([
        'tool_call.approval_resolved',
        'tool_call.running',
        'tool_call.completed',
      ]);
      expect(dataOf(ofCall(events, 'c1'), 'tool_call.completed')).toMatchObject({
        toolName: 'remove',
        title: 'Removing /x',
        kind: 'delete',
        status: 'completed',
      });
      expect(dataOf(ofCall(events, 'c2'), 'tool_call.approval_resolved')).toMatchObject({
        toolName: 'remove',
        approved: false,
      });
      expect(dataOf(ofCall(events, 'c2'), 'tool_call.completed')).toMatchObject({
        toolName: 'remove',
        status: 'denied',
      });
      await session.close();
      await after.close();
      await before.close();
    } finally {
      for (const store of stores) await store.close();
      await server.close();
    }
  });

  it('a call cancelled while its arguments stream, and one cut off by a dropped stream', async () => {
    await using t = await startTestAgent(
      [
        // The call starts, then the stream goes silent until cancelled.
        { toolCalls: [{ id: 'c1', name: 'read', args: { path: '/slow' } }], stallAfterChunks: 2 },
        { toolCalls: [{ id: 'c2', name: 'read', args: { path: '/cut' } }], dropAfterChunks: 2 },
      ],
      { tools: { read }, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } },
    );
    const session = await t.agent.createSession();
    const run = session.run('go');
    const events: AnyEvent[] = [];
    for await (const event of run) {
      events.push(event);
      if (event.type === 'tool_call.started') session.cancel();
    }
    expect((await run.result).stopReason).toBe('cancelled');
    expect(dataOf(ofCall(events, 'c1'), 'tool_call.completed')).toMatchObject({
      toolName: 'read',
      kind: 'read',
      status: 'cancelled',
    });
    const dropped = await collect(session.run('again'));
    expect(dropped.result.stopReason).toBe('failed');
    expect(dataOf(ofCall(dropped.events, 'c2'), 'tool_call.completed')).toMatchObject({
      toolName: 'read',
      kind: 'read',
      status: 'failed',
      error: { code: 'CORE_TOOL_CALL_INCOMPLETE' },
    });
    expectEveryToolEventNamed([...events, ...dropped.events]);
  });

  it("a sub-agent's calls and the parent's call that runs it", async () => {
    const childServer = await startModelServer({
      script: [
        { toolCalls: [{ id: 'k1', name: 'read', args: { path: '/notes' } }] },
        { text: 'The notes say hi.' },
      ],
    });
    try {
      const researcher = createAgent({
        name: 'researcher',
        model: 'openai-compatible:r',
        env: { SWITCHBOARD_BASE_URL: childServer.baseUrl },
        tools: { read },
      });
      await using t = await startTestAgent(
        [
          { toolCalls: [{ id: 's1', name: 'research', args: { task: 'read the notes' } }] },
          { text: 'Done.' },
        ],
        { tools: { research: researcher.asTool({ description: 'Delegate research' }) } },
      );
      const all = recordBus(t.agent.bus);
      const session = await t.agent.createSession();
      const { result } = await collect(session.run('go'));
      await waitFor(() => all.some((event) => event.type === 'run.finished'));
      const tool = expectEveryToolEventNamed(all);
      const child = tool.filter((event) => event.parentRunId === result.runId);
      expect(new Set(child.map((event) => (event.data as { toolName: string }).toolName))).toEqual(
        new Set(['read']),
      );
      expect(dataOf(ofCall(tool, 's1'), 'tool_call.completed')).toMatchObject({
        toolName: 'research',
        kind: 'think',
        output: 'The notes say hi.',
      });
    } finally {
      await childServer.close();
    }
  });

  it('a title function that throws is reported and leaves the title out; the call still runs', async () => {
    const errors: Error[] = [];
    const shaky = defineTool({
      description: 'Shaky title',
      inputSchema: z.object({ n: z.number() }),
      kind: 'other',
      title: () => {
        throw new Error('no title today');
      },
      execute: ({ n }) => n * 2,
    });
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'shaky', args: { n: 2 } }] }, { text: '4' }],
      { tools: { shaky }, onError: (error) => errors.push(error) },
    );
    const session = await t.agent.createSession();
    const { events } = await collect(session.run('double 2'));
    expect(dataOf(events, 'tool_call.completed')).toEqual(
      expect.objectContaining({ toolName: 'shaky', kind: 'other', output: 4 }),
    );
    expect(dataOf(events, 'tool_call.completed')).not.toHaveProperty('title');
    expect(errors.map((error) => (error as { code?: string }).code)).toContain(
      'CORE_TOOL_TITLE_FAILED',
    );
  });
});
