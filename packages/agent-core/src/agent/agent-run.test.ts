import { EventBus, MemoryEventLog, type AnyEvent } from '@switchboard/events';
import type { RecordedRequest } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemorySessionStore } from '../sessions/memory-session-store.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { defineTool } from '../tools/define-tool.js';

/** An agent on the testkit server whose sessions and events can be inspected afterwards. */
async function inspectable(...[script, options]: Parameters<typeof startTestAgent>) {
  const store = new MemorySessionStore();
  const log = new MemoryEventLog();
  const t = await startTestAgent(script, { ...options, store, bus: new EventBus({ log }) });
  const seen: AnyEvent[] = [];
  t.agent.bus.on('*', (event) => seen.push(event));
  return Object.assign(t, { store, log, seen });
}

const toolNames = (request: RecordedRequest) =>
  ((request.body as { tools?: Array<{ function: { name: string } }> }).tools ?? []).map(
    (tool) => tool.function.name,
  );

describe('agent.run(): one call, nothing kept', () => {
  it('answers with text, usage and stop reason, and leaves no session or event behind', async () => {
    await using t = await inspectable(
      () => ({ text: ['Hello ', 'there.'], usage: { inputTokens: 12, outputTokens: 3 } }),
      { titles: { enabled: true } }, // on, as by default: still no title call
    );
    const result = await t.agent.run('hi');
    expect(result).toMatchObject({
      stopReason: 'completed',
      text: 'Hello there.',
      usage: { inputTokens: 12, outputTokens: 3 },
      pending: [],
    });
    // It streamed like any run while it lasted…
    const sessionId = t.seen[0]!.sessionId;
    expect(t.seen.map((event) => event.type)).toContain('message.delta');
    expect(t.seen.at(-1)).toMatchObject({ type: 'session.ended', data: { reason: 'closed' } });
    // …and is gone afterwards: from the store and from the event log.
    expect((await t.store.list()).sessions).toEqual([]);
    expect(t.log.read(sessionId, 0, 100)).toEqual([]);
    // One model call: no title is generated for a session nobody will list.
    expect(t.server.requests).toHaveLength(1);
    expect(
      t.seen.filter(
        (event) =>
          event.type === 'generation.started' &&
          (event.data as { purpose?: string }).purpose === 'title',
      ),
    ).toEqual([]);
    expect(JSON.stringify(t.server.requests[0]!.body)).toContain('hi');
  });

  it('takes a model of the agent, and refuses one it does not offer', async () => {
    await using t = await inspectable(
      (request) => ({ text: `as ${(request.body as { model: string }).model}` }),
      { model: 'openai-compatible:a', models: ['openai-compatible:b'] },
    );
    expect((await t.agent.run('hi', { model: 'openai-compatible:b' })).text).toBe('as b');
    expect((await t.agent.run('hi')).text).toBe('as a');
    await expect(t.agent.run('hi', { model: 'openai-compatible:c' })).rejects.toThrow(
      expect.objectContaining({ code: 'CORE_MODEL_NOT_ALLOWED' }),
    );
    expect((await t.store.list()).sessions).toEqual([]);
  });

  it('throws on bad input like session.run(), leaving nothing behind', async () => {
    await using t = await inspectable([{ text: 'never sent' }]);
    await expect(t.agent.run('   ')).rejects.toThrow(
      expect.objectContaining({ code: 'CORE_EMPTY_INPUT' }),
    );
    await expect(t.agent.run(null as never)).rejects.toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_INPUT' }),
    );
    expect(t.server.requests).toEqual([]);
    expect((await t.store.list()).sessions).toEqual([]);
  });

  it('resolves a failed run with its error instead of rejecting', async () => {
    await using t = await inspectable(() => ({ error: { status: 401 } }));
    const result = await t.agent.run('hi');
    expect(result.stopReason).toBe('failed');
    expect(result.error).toMatchObject({ code: 'CORE_PROVIDER_AUTH' });
    expect((await t.store.list()).sessions).toEqual([]);
  });

  it('runs tools; offers no ask_user (nobody could answer); ends awaiting_input on an approval', async () => {
    const add = defineTool({
      description: 'Add',
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => a + b,
    });
    const wipe = defineTool({
      description: 'Wipe the disk',
      inputSchema: z.object({}),
      approval: 'always',
      execute: () => 'wiped',
    });
    await using t = await inspectable(
      [
        { toolCalls: [{ id: 'c1', name: 'add', args: { a: 2, b: 40 } }] },
        { text: '42' },
        { toolCalls: [{ id: 'c2', name: 'wipe', args: {} }] },
      ],
      { tools: { add, wipe } },
    );
    expect((await t.agent.run('2 + 40?')).text).toBe('42');
    expect(toolNames(t.server.requests[0]!).sort()).toEqual(['add', 'wipe']);
    const paused = await t.agent.run('wipe it');
    expect(paused.stopReason).toBe('awaiting_input');
    expect(paused.pending).toEqual([
      expect.objectContaining({ kind: 'approval', toolName: 'wipe' }),
    ]);
    expect((await t.store.list()).sessions).toEqual([]);
  });
});
