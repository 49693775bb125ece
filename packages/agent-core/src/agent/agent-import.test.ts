import { EventBus, MemoryEventLog, reduceEvents, initialSessionView } from '@switchboard/events';
import { loadFixture } from '@switchboard/events/fixtures';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemorySessionStore } from '../sessions/memory-session-store.js';
import { defineTool } from '../tools/define-tool.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { createAgent } from './agent.js';

type Script = Parameters<typeof startTestAgent>[0];

/** A test agent with an event log and a store of its own. */
async function agentWithLog(script: Script, tools = {}, idPrefix = '') {
  const log = new MemoryEventLog();
  const store = new MemorySessionStore();
  let ids = 0;
  const t = await startTestAgent(script, {
    bus: new EventBus({ log }),
    store,
    tools,
    // Ids of the importing agent must not repeat the imported ones (real ids are UUIDs).
    generateId: (prefix) => `${prefix}_${idPrefix}${++ids}`,
  });
  return { ...t, log, store };
}

const lookup = defineTool({
  description: 'looks up',
  inputSchema: z.object({ q: z.string() }),
  execute: ({ q }) => ({ found: q }),
});

describe('agent.importSession(events)', () => {
  it("rebuilds the transcript a live session wrote, from its log; the next run's prompt is the same", async () => {
    const script: Script = [
      {
        reasoning: 'hmm',
        text: 'Looking.',
        toolCalls: [{ id: 'c1', name: 'lookup', args: { q: 'a' } }],
      },
      { text: 'Found a.' },
      { text: 'Second answer.' },
    ];
    await using source = await agentWithLog(script, { lookup });
    const original = await source.agent.createSession();
    await original.run('find a').result;
    const exported = source.log.read(original.id, 0, 10_000);

    await using target = await agentWithLog([{ text: 'Second answer.' }], { lookup }, 'b');
    const imported = await target.agent.importSession(exported);

    expect(imported.id).not.toBe(original.id);
    expect(imported.status).toBe('idle');
    const shape = (entries: typeof original.transcript) =>
      entries.map(({ id, runId, message, display }) => ({
        id,
        runId,
        message,
        status: display.status,
      }));
    // Ids the events name are kept; an entry without one (a tool result) gets a new id.
    const withoutToolIds = (entries: ReturnType<typeof shape>) =>
      entries.map((entry) => (entry.message.role === 'tool' ? { ...entry, id: '' } : entry));
    expect(withoutToolIds(shape(imported.transcript))).toEqual(
      withoutToolIds(shape(original.transcript)),
    );
    expect(imported.usage).toEqual(original.usage);

    // The log holds the same events, re-stamped.
    const copied = target.log.read(imported.id, 0, 10_000);
    expect(copied.map((event) => event.seq)).toEqual(exported.map((_, index) => index + 1));
    expect(copied.map(({ sessionId: _s, seq: _q, ...rest }) => rest)).toEqual(
      exported.map(({ sessionId: _s, seq: _q, ...rest }) => rest),
    );
    expect(copied.every((event) => event.sessionId === imported.id)).toBe(true);

    // Continued: the model gets what the original session would have sent.
    await original.run('and b?').result;
    await imported.run('and b?').result;
    const sent = (server: typeof source.server, index: number) =>
      JSON.stringify((server.requests[index]!.body as { messages: unknown }).messages);
    expect(sent(target.server, 0)).toBe(sent(source.server, 2));
    // New events continue the imported log.
    const after = target.log.read(imported.id, 0, 10_000);
    expect(after.map((event) => event.seq)).toEqual(after.map((_, index) => index + 1));
  });

  it('a run paused for approval is imported paused: answering and resuming it runs the tool', async () => {
    let ran = 0;
    const remove = defineTool({
      description: 'removes',
      inputSchema: z.object({ path: z.string() }),
      approval: 'always',
      execute: ({ path }) => {
        ran += 1;
        return `removed ${path}`;
      },
    });
    await using source = await agentWithLog(
      [{ toolCalls: [{ id: 'c1', name: 'remove', args: { path: '/tmp/a' } }] }],
      { remove },
    );
    const original = await source.agent.createSession();
    const paused = await original.run('delete /tmp/a').result;
    expect(paused.stopReason).toBe('awaiting_input');

    await using target = await agentWithLog([{ text: 'Deleted.' }], { remove }, 'b');
    const imported = await target.agent.importSession(source.log.read(original.id, 0, 10_000));
    expect(imported.status).toBe('awaiting_input');
    // requestedAt is the event's time (the bus's clock), a millisecond from the snapshot's at most.
    const withoutTime = (requests: ReturnType<typeof original.pendingRequests>) =>
      requests.map(({ requestedAt: _at, ...request }) => request);
    expect(withoutTime(imported.pendingRequests())).toEqual(
      withoutTime(original.pendingRequests()),
    );
    expect(imported.snapshot().paused).toEqual(original.snapshot().paused);

    const [request] = imported.pendingRequests();
    await imported.respond(request!.requestId, { approved: true });
    const resumed = await imported.resume().result;
    expect(resumed).toMatchObject({ stopReason: 'completed', text: 'Deleted.' });
    expect(ran).toBe(1);
    expect(JSON.stringify(target.server.requests[0]!.body)).toContain('removed /tmp/a');
  });

  it('a paused and then resumed run (the approval fixture) imports idle, with the results in one tool message', () => {
    const agent = createAgent({
      model: 'openai-compatible:x',
      env: { SWITCHBOARD_BASE_URL: 'http://127.0.0.1:9' },
    });
    return agent.importSession(loadFixture('approval')).then((session) => {
      expect(session.status).toBe('idle');
      expect(session.transcript.map((entry) => entry.message)).toEqual([
        { role: 'user', content: [{ type: 'text', text: 'Delete /tmp/cache' }] },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool-call',
              toolCallId: 'call_01',
              toolName: 'remove',
              input: { path: '/tmp/cache' },
            },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_01',
              toolName: 'remove',
              output: { type: 'text', value: 'removed /tmp/cache' },
            },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: 'Done: /tmp/cache is gone.' }] },
      ]);
    });
  });

  it('every golden fixture imports, and its view is the original view', async () => {
    for (const name of [
      'plain-chat',
      'multi-tool',
      'approval',
      'cancelled',
      'delegation',
      'provider-retry',
    ] as const) {
      const log = new MemoryEventLog();
      const agent = createAgent({
        model: 'openai-compatible:x',
        env: { SWITCHBOARD_BASE_URL: 'http://127.0.0.1:9' },
        bus: new EventBus({ log }),
      });
      const events = loadFixture(name);
      const session = await agent.importSession(events, { id: `imported-${name}` });
      const view = (list: typeof events) => {
        const {
          items,
          itemIndex: _index,
          lastSeq: _seq,
          sessionId: _id,
          ...rest
        } = reduceEvents(list, initialSessionView());
        return { ...rest, items: items.toArray().map((item) => ({ ...item, seq: undefined })) };
      };
      expect(view(log.read(session.id, 0, 10_000)), name).toEqual(view(events));
    }
  });

  it('a run the events leave unfinished is finished interrupted, with its open message', async () => {
    const events = loadFixture('plain-chat');
    const cut = events.findIndex((event) => event.type === 'message.delta') + 1;
    const log = new MemoryEventLog();
    const agent = createAgent({
      model: 'openai-compatible:x',
      env: { SWITCHBOARD_BASE_URL: 'http://127.0.0.1:9' },
      bus: new EventBus({ log }),
    });
    const session = await agent.importSession(events.slice(0, cut));
    const stored = log.read(session.id, 0, 100);
    expect(stored.slice(cut).map((event) => [event.type, event.data])).toEqual([
      ['message.completed', expect.objectContaining({ status: 'interrupted' })],
      ['run.finished', expect.objectContaining({ stopReason: 'interrupted' })],
    ]);
    expect(session.transcript.at(-1)?.display.status).toBe('interrupted');
  });

  it('refuses events of two sessions, events out of order and a taken id (CORE_INVALID_IMPORT, CORE_SESSION_EXISTS), storing nothing', async () => {
    const log = new MemoryEventLog();
    const store = new MemorySessionStore();
    const agent = createAgent({
      model: 'openai-compatible:x',
      env: { SWITCHBOARD_BASE_URL: 'http://127.0.0.1:9' },
      bus: new EventBus({ log }),
      store,
    });
    const events = loadFixture('plain-chat');
    const mixed = [...events.slice(0, 2), { ...events[2]!, sessionId: 'other' }];
    await expect(agent.importSession(mixed, { id: 'x1' })).rejects.toMatchObject({
      code: 'CORE_INVALID_IMPORT',
    });
    const reversed = [events[1]!, events[0]!];
    await expect(agent.importSession(reversed, { id: 'x1' })).rejects.toMatchObject({
      code: 'CORE_INVALID_IMPORT',
    });
    await expect(agent.importSession([], { id: 'x1' })).rejects.toMatchObject({
      code: 'CORE_INVALID_IMPORT',
    });
    expect(await store.load('x1')).toBeUndefined();
    expect(log.read('x1')).toEqual([]);
    await agent.createSession({ id: 'taken' });
    const before = log.read('taken', 0, 100);
    await expect(agent.importSession(events, { id: 'taken' })).rejects.toMatchObject({
      code: 'CORE_SESSION_EXISTS',
    });
    expect(log.read('taken', 0, 100)).toEqual(before);
  });
});
