import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { AnyEvent } from '@switchboard/events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { collect, dataOf } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { defineTool } from '../tools/define-tool.js';
import { mcpToolSource } from '../tools/mcp-tool-source.js';

const echo = defineTool({
  description: 'echo',
  inputSchema: z.object({ s: z.string() }),
  execute: ({ s }) => s,
});

type Completed = { toolCallId: string; status: string; error?: { code?: string; message: string } };

function completions(events: readonly AnyEvent[]): Completed[] {
  return events
    .filter((event) => event.type === 'tool_call.completed')
    .map((event) => event.data as Completed);
}

/** Every `tool_call.started` has exactly one `tool_call.completed`. */
function expectOneTerminalPerCall(events: readonly AnyEvent[]): void {
  const started = events
    .filter((event) => event.type === 'tool_call.started')
    .map((event) => (event.data as { toolCallId: string }).toolCallId);
  const ended = completions(events).map((data) => data.toolCallId);
  expect(started.length).toBeGreaterThan(0);
  expect([...ended].sort()).toEqual([...started].sort());
}

function toolMessages(body: unknown): Array<{ tool_call_id: string; content: string }> {
  return (
    body as { messages: Array<{ role: string; tool_call_id: string; content: string }> }
  ).messages.filter((message) => message.role === 'tool');
}

const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
afterEach(() => {
  process.off('warning', onWarning);
  warnings.length = 0;
});

describe('tool names that exist on Object.prototype', () => {
  it('answers constructor / toString / hasOwnProperty with CORE_UNKNOWN_TOOL and goes on', async () => {
    await using t = await startTestAgent(
      [
        {
          toolCalls: [
            { id: 'c1', name: 'constructor', args: {} },
            { id: 'c2', name: 'toString', args: {} },
            { id: 'c3', name: 'hasOwnProperty', args: {} },
          ],
        },
        { text: 'done' },
      ],
      { tools: { echo } },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('go'));
    expect(result.stopReason).toBe('completed');
    const ended = completions(events);
    expect(ended.map((data) => [data.status, data.error?.code])).toEqual([
      ['failed', 'CORE_UNKNOWN_TOOL'],
      ['failed', 'CORE_UNKNOWN_TOOL'],
      ['failed', 'CORE_UNKNOWN_TOOL'],
    ]);
    expect(ended[0]!.error!.message).toContain('Unknown tool "constructor"');
    expect(toolMessages(t.server.requests[1]!.body)).toHaveLength(3);
  });
});

describe('many tool calls in one step', () => {
  it('runs at most maxToolCallsPerStep; the rest get a coded result the model sees', async () => {
    const ran: string[] = [];
    const record = defineTool({
      description: 'record',
      inputSchema: z.object({ s: z.string() }),
      execute: ({ s }) => void ran.push(s),
    });
    const calls = Array.from({ length: 7 }, (_, index) => ({
      id: `c${index}`,
      name: 'record',
      args: { s: `call ${index}` },
    }));
    await using t = await startTestAgent([{ toolCalls: calls }, { text: 'ok' }], {
      tools: { record },
      maxToolCallsPerStep: 5,
    });
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('go'));
    expect(result.stopReason).toBe('completed');
    expect(ran.sort()).toEqual(['call 0', 'call 1', 'call 2', 'call 3', 'call 4']);
    const byId = new Map(completions(events).map((data) => [data.toolCallId, data]));
    expect(byId.size).toBe(7);
    expect(byId.get('c5')).toMatchObject({
      status: 'failed',
      error: { code: 'CORE_TOOL_CALL_LIMIT' },
    });
    expect(byId.get('c6')?.error?.code).toBe('CORE_TOOL_CALL_LIMIT');
    const seen = toolMessages(t.server.requests[1]!.body);
    expect(seen).toHaveLength(7);
    expect(seen.find((message) => message.tool_call_id === 'c6')?.content).toContain(
      'at most 5 run per step',
    );
  });

  it('runs at most toolConcurrency calls at the same time, and all of them', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = defineTool({
      description: 'slow',
      inputSchema: z.object({}),
      execute: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        return 'ok';
      },
    });
    const calls = Array.from({ length: 12 }, (_, index) => ({
      id: `c${index}`,
      name: 'slow',
      args: {},
    }));
    await using t = await startTestAgent([{ toolCalls: calls }, { text: 'ok' }], {
      tools: { slow },
      toolConcurrency: 3,
    });
    const session = await t.agent.createSession();
    const { events } = await collect(session.run('go'));
    expect(peak).toBe(3);
    expect(completions(events).filter((data) => data.status === 'completed')).toHaveLength(12);
  });

  it('50 calls in parallel add no abort listener per call (no MaxListenersExceededWarning)', async () => {
    process.on('warning', onWarning);
    let inFlight = 0;
    let peak = 0;
    let release!: () => void;
    const allIn = new Promise<void>((resolve) => (release = resolve));
    const wait = defineTool({
      description: 'wait',
      inputSchema: z.object({}),
      execute: async () => {
        peak = Math.max(peak, ++inFlight);
        if (inFlight === 50) release();
        await allIn; // every call is running at once before any ends
        return 'ok';
      },
    });
    const calls = Array.from({ length: 50 }, (_, index) => ({
      id: `c${index}`,
      name: 'wait',
      args: {},
    }));
    await using t = await startTestAgent([{ toolCalls: calls }, { text: 'ok' }], {
      tools: { wait },
      toolConcurrency: 50,
    });
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('go'));
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
    expect(result.stopReason).toBe('completed');
    expect(peak).toBe(50);
    expect(completions(events)).toHaveLength(50);
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });
});

describe('a stream dropped mid-arguments', () => {
  it('ends every started tool call with exactly one terminal event', async () => {
    // Frames: role, then the three argument fragments; drop after the first fragment.
    await using t = await startTestAgent(
      () => ({
        toolCalls: [{ id: 'c1', name: 'echo', args: { s: 'a long enough argument text' } }],
        dropAfterChunks: 2,
      }),
      { tools: { echo } },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('go'));
    expect(result.stopReason).toBe('failed');
    expect(dataOf(events, 'tool_call.started')).toMatchObject({ toolCallId: 'c1' });
    expectOneTerminalPerCall(events);
    expect(dataOf(events, 'tool_call.completed')).toMatchObject({
      toolCallId: 'c1',
      status: 'failed',
      error: { code: 'CORE_TOOL_CALL_INCOMPLETE' },
    });
    const ended = events.findIndex((event) => event.type === 'tool_call.completed');
    expect(ended).toBeLessThan(events.findIndex((event) => event.type === 'run.failed'));
  });
});

describe('session argument checks', () => {
  it('run(null) and steer(null) throw CORE_INVALID_INPUT and change nothing', async () => {
    await using t = await startTestAgent([{ text: 'unused' }]);
    const session = await t.agent.createSession();
    const before = session.snapshot();
    expect(() => session.run(null as never)).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_INPUT' }),
    );
    expect(() => session.run(42 as never)).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_INPUT' }),
    );
    expect(() => session.steer(null as never)).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_INPUT' }),
    );
    expect(session.status).toBe('idle');
    expect(session.snapshot()).toEqual(before);
    expect(t.server.requests).toHaveLength(0);
  });

  it('steer() after close() is refused with CORE_SESSION_CLOSED', async () => {
    await using t = await startTestAgent([{ text: 'unused' }]);
    const session = await t.agent.createSession();
    await session.close();
    const before = session.snapshot();
    expect(() => session.steer('are you there?')).toThrow(
      expect.objectContaining({ code: 'CORE_SESSION_CLOSED' }),
    );
    expect(session.snapshot()).toEqual(before);
  });
});

describe('MCP servers that misbehave, seen from runs', () => {
  function notices(events: readonly AnyEvent[]) {
    return events
      .filter((event) => event.type === 'notice')
      .map((event) => event.data as { code: string; message: string });
  }

  it('names a malformed tool in a notice and offers the valid ones', async () => {
    const script = fileURLToPath(
      new URL('../tools/test-helpers/misbehaving-mcp-server.mjs', import.meta.url),
    );
    const odd = mcpToolSource({
      name: 'odd',
      transport: { type: 'stdio', command: process.execPath, args: [script, 'invalid-tool'] },
    });
    await using t = await startTestAgent([{ text: 'ok' }], { toolSources: [odd] });
    const session = await t.agent.createSession();
    const { events } = await collect(session.run('go'));
    expect(notices(events).map((notice) => notice.message)).toEqual([
      expect.stringContaining('Tool "bad" of MCP server "odd" was left out: inputSchema.type'),
      expect.stringContaining('Tool #3 (it has no name) of MCP server "odd" was left out'),
    ]);
    const offered = (t.server.requests[0]!.body as { tools: Array<{ function: { name: string } }> })
      .tools;
    expect(offered.map((tool) => tool.function.name)).toEqual(['odd__good', 'ask_user']);
  });

  it('an empty first answer fails the run (CORE_PROVIDER_EMPTY_RESPONSE); an empty answer after tools does not', async () => {
    const noop = defineTool({
      description: 'does nothing',
      inputSchema: z.object({}),
      execute: () => 'ok',
    });
    await using t = await startTestAgent(
      [{ text: '' }, { toolCalls: [{ id: 'c1', name: 'noop', args: {} }] }, { text: '' }],
      { tools: { noop } },
    );
    const session = await t.agent.createSession();
    const silent = await collect(session.run('anyone?'));
    expect(silent.result.stopReason).toBe('failed');
    expect(silent.events.at(-1)).toMatchObject({
      type: 'run.failed',
      data: { error: { code: 'CORE_PROVIDER_EMPTY_RESPONSE', hint: expect.any(String) } },
    });
    // Nothing empty is kept: the user's message stays, no blank assistant entry.
    expect(session.transcript.map((entry) => entry.message.role)).toEqual(['user']);
    const afterTools = await collect(session.run('use the tool'));
    expect(afterTools.result.stopReason).toBe('completed');
  });

  it('the user message is stored before a slow tool listing, and a cancel does not wait for the listing', async () => {
    let release!: () => void;
    const slow = {
      name: 'slow',
      tools: () => new Promise<Record<string, never>>((resolve) => (release = () => resolve({}))),
    };
    await using t = await startTestAgent([{ text: 'never asked' }], { toolSources: [slow] });
    const session = await t.agent.createSession();
    const run = session.run('deploy it');
    const seen: AnyEvent[] = [];
    for await (const event of run) {
      seen.push(event);
      // The listing has not answered: the user's words are already an event and in the transcript.
      if (event.type === 'user.message') {
        expect(session.transcript.map((entry) => entry.message.role)).toEqual(['user']);
        run.cancel();
      }
    }
    const result = await run.result;
    expect(result.stopReason).toBe('cancelled');
    expect(t.server.requests).toHaveLength(0); // the model was never asked
    release();
  });

  it('a hung server costs one connect timeout, not one per run', async () => {
    let requests = 0;
    const hung = createServer(() => {
      requests += 1; // and never answers
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hung.address() as AddressInfo;
      const source = mcpToolSource({
        name: 'hung',
        transport: { type: 'http', url: `http://127.0.0.1:${port}/mcp` },
        connectTimeoutMs: 200,
        backoff: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
      });
      await using t = await startTestAgent([{ text: 'one' }, { text: 'two' }, { text: 'three' }], {
        toolSources: [source],
      });
      const session = await t.agent.createSession();
      for (const text of ['first', 'second', 'third']) {
        const { events, result } = await collect(session.run(text));
        expect(result.stopReason).toBe('completed');
        expect(notices(events)).toEqual([
          expect.objectContaining({ message: expect.stringContaining('Could not connect to MCP') }),
        ]);
      }
      // On a loaded machine the 200 ms connect timeout can fire before this process has parsed the
      // request it already accepted: wait for the one request, then check no second one came.
      await vi.waitFor(() => expect(requests).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
      expect(requests).toBe(1);
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });
});
