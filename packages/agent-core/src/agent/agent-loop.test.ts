import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.js';
import { collect, dataOf, expectContiguous, recordBus } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import type { AgentHooks } from '../hooks/agent-hooks.js';
import { startModelServer } from '@switchboard/testkit';
import { createAgent } from './agent.js';

const add = defineTool({
  description: 'Add two numbers',
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { sum: a + b };
  },
});

describe('agent loop through @ai-sdk/openai-compatible and the testkit server', () => {
  it('streams a plain answer, with usage, hooks in Hermes order and valid contiguous events', async () => {
    const calls: string[] = [];
    const hook = (name: keyof AgentHooks) => () => void calls.push(name);
    await using t = await startTestAgent(
      [
        {
          reasoning: ['Thinking', ' hard'],
          text: ['Hel', 'lo!'],
          usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 4 },
        },
      ],
      {
        hooks: {
          on_session_start: hook('on_session_start'),
          pre_llm_call: hook('pre_llm_call'),
          post_api_request: hook('post_api_request'),
          post_llm_call: hook('post_llm_call'),
          on_session_end: hook('on_session_end'),
        },
      },
    );
    const all = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('Hi there'));
    // A live usage estimate comes only when the stream takes over 100 ms (a loaded machine can
    // make it), so the sequence leaves estimates out; agent-usage-meter.test.ts counts them.
    const types = events
      .filter(
        (event) =>
          !(event.type === 'usage.updated' && (event.data as { estimated?: boolean }).estimated),
      )
      .map((event) => event.type);
    expect(result).toMatchObject({
      stopReason: 'completed',
      text: 'Hello!',
      usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 4 },
    });
    expect(types).toEqual([
      'run.started',
      'user.message',
      'step.started',
      'generation.started',
      'reasoning.started',
      'reasoning.delta',
      'reasoning.delta',
      'message.started',
      'message.delta',
      'message.delta',
      'reasoning.completed',
      'message.completed',
      'generation.finished',
      'usage.updated', // the run's meter: the call's exact numbers
      'usage.updated', // the session total
      'step.finished',
      'run.finished',
    ]);
    expect(dataOf(events, 'generation.finished')).toMatchObject({
      finishReason: 'stop',
      model: 'test-model',
    });
    expect(
      dataOf<{ timeToFirstTokenMs: number }>(events, 'generation.finished').timeToFirstTokenMs,
    ).toBeGreaterThanOrEqual(0);
    expect(calls).toEqual([
      'on_session_start',
      'pre_llm_call',
      'post_api_request',
      'post_llm_call',
      'on_session_end',
    ]);
    await t.agent.bus.flush();
    expectContiguous(all);
    // The provider got the system prompt first and the user's message, with usage requested.
    const body = t.server.requests[0]!.body as {
      messages: Array<{ role: string; content: unknown }>;
      stream_options?: unknown;
    };
    expect(body.messages[0]).toEqual({ role: 'system', content: 'You are a test agent.' });
    expect(body.messages.at(-1)).toMatchObject({ role: 'user' });
    expect(body.stream_options).toEqual({ include_usage: true });
    // Display transcript: user + assistant (reasoning kept for providers that need it replayed).
    expect(session.transcript.map((entry) => entry.message.role)).toEqual(['user', 'assistant']);
    expect(session.usage.apiCalls).toBe(1);
  });

  it('runs parallel tool calls matched by id, over several steps, and sends results back', async () => {
    await using t = await startTestAgent(
      [
        {
          toolCalls: [
            { id: 'call_b', name: 'add', args: { a: 2, b: 3 } },
            { id: 'call_a', name: 'add', args: { a: 10, b: 20 } },
          ],
        },
        { text: 'Sums are 5 and 30.' },
      ],
      // Raw arguments stream in fragments only with tool-input redaction off.
      { tools: { add }, redact: { toolInput: false } },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('add things'));
    expect(result.text).toBe('Sums are 5 and 30.');
    const completed = events
      .filter((event) => event.type === 'tool_call.completed')
      .map((event) => event.data as { toolCallId: string; output: unknown; status: string });
    expect(Object.fromEntries(completed.map((c) => [c.toolCallId, c.output]))).toEqual({
      call_b: { sum: 5 },
      call_a: { sum: 30 },
    });
    // Arguments streamed in fragments arrive as args_delta events and add up to the full JSON.
    const fragments = events.filter(
      (event) =>
        event.type === 'tool_call.args_delta' &&
        (event.data as { toolCallId: string }).toolCallId === 'call_a',
    );
    expect(fragments.length).toBeGreaterThan(1);
    expect(
      JSON.parse(fragments.map((event) => (event.data as { delta: string }).delta).join('')),
    ).toEqual({ a: 10, b: 20 });
    // The second request carries both results, each under its own tool_call_id.
    const second = t.server.requests[1]!.body as {
      messages: Array<{ role: string; tool_call_id?: string; content: string }>;
    };
    const toolMessages = second.messages.filter((message) => message.role === 'tool');
    expect(
      Object.fromEntries(
        toolMessages.map((m) => [m.tool_call_id, JSON.parse(m.content) as unknown]),
      ),
    ).toEqual({ call_b: { sum: 5 }, call_a: { sum: 30 } });
    const tools = (
      t.server.requests[0]!.body as {
        tools: Array<{ function: { name: string; parameters: { required: string[] } } }>;
      }
    ).tools;
    expect(
      tools.find((tool) => tool.function.name === 'add')?.function.parameters.required,
    ).toEqual(['a', 'b']);
  });

  it('turns malformed tool arguments into a tool error the model sees, not a crash', async () => {
    await using t = await startTestAgent(
      [
        { toolCalls: [{ id: 'c1', name: 'add', args: '{"a": 1, "b": ' }] },
        { text: 'Sorry, let me fix that.' },
      ],
      { tools: { add } },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('add'));
    expect(result.stopReason).toBe('completed');
    expect(dataOf(events, 'tool_call.ready')).toMatchObject({
      inputError: { code: 'CORE_TOOL_INVALID_INPUT' },
    });
    expect(dataOf(events, 'tool_call.completed')).toMatchObject({
      status: 'failed',
      error: { code: 'CORE_TOOL_INVALID_INPUT' },
    });
    const second = t.server.requests[1]!.body as {
      messages: Array<{ role: string; content: string }>;
    };
    expect(second.messages.find((message) => message.role === 'tool')?.content).toMatch(
      /not valid JSON/,
    );
  });

  it('keeps two concurrent sessions apart', async () => {
    await using t = await startTestAgent((request) => {
      const body = request.body as { messages: Array<{ role: string; content: unknown }> };
      const last = JSON.stringify(body.messages.at(-1)?.content);
      return { text: last.includes('alpha') ? ['A', 'A', 'A'] : ['B', 'B'], delayMs: 5 };
    });
    const all = recordBus(t.agent.bus);
    const [one, two] = await Promise.all([t.agent.createSession(), t.agent.createSession()]);
    const [a, b] = await Promise.all([collect(one.run('alpha')), collect(two.run('beta'))]);
    expect(a.result.text).toBe('AAA');
    expect(b.result.text).toBe('BB');
    expect(a.events.every((event) => event.sessionId === one.id)).toBe(true);
    expect(b.events.every((event) => event.sessionId === two.id)).toBe(true);
    await t.agent.bus.flush();
    expectContiguous(all.filter((event) => event.sessionId === one.id));
    expectContiguous(all.filter((event) => event.sessionId === two.id));
  });

  it('never lets a failing or slow hook break the run, and reports it', async () => {
    const errors: Error[] = [];
    await using t = await startTestAgent([{ text: 'fine' }], {
      hookTimeoutMs: 50,
      onError: (error) => errors.push(error),
      hooks: {
        pre_llm_call: () => {
          throw new Error('plugin bug');
        },
        post_llm_call: () => new Promise(() => {}), // never settles
      },
    });
    const session = await t.agent.createSession();
    const { result } = await collect(session.run('hi'));
    expect(result.stopReason).toBe('completed');
    expect(errors.map((error) => (error as { code?: string }).code)).toEqual([
      'CORE_HOOK_FAILED',
      'CORE_HOOK_FAILED',
    ]);
  });

  it('lets pre_tool_call block a call; the model sees why', async () => {
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'add', args: { a: 1, b: 2 } }] }, { text: 'ok' }],
      {
        tools: { add },
        hooks: {
          pre_tool_call: ({ toolName }) =>
            toolName === 'add' ? { block: 'adding is off today' } : undefined,
        },
      },
    );
    const session = await t.agent.createSession();
    const { events } = await collect(session.run('add'));
    expect(dataOf(events, 'tool_call.completed')).toMatchObject({ status: 'denied' });
    expect(events.some((event) => event.type === 'tool_call.running')).toBe(false);
    const second = t.server.requests[1]!.body as {
      messages: Array<{ role: string; content: string }>;
    };
    expect(JSON.stringify(second.messages)).toContain('adding is off today');
  });
});

describe('other providers', () => {
  it('runs the same loop through @ai-sdk/anthropic ("anthropic:" model string) with cached usage', async () => {
    await using server = await startModelServer({
      apiKey: 'sk-ant-local-test',
      script: [
        {
          reasoning: 'Two numbers to add.',
          toolCalls: [{ id: 'toolu_1', name: 'add', args: { a: 4, b: 5 } }],
          usage: { inputTokens: 200, outputTokens: 20, cachedInputTokens: 150 },
        },
        { text: 'It is 9.', usage: { inputTokens: 260, outputTokens: 5 } },
      ],
    });
    const agent = createAgent({
      model: 'anthropic:claude-haiku-4-5',
      env: { ANTHROPIC_API_KEY: 'sk-ant-local-test', ANTHROPIC_BASE_URL: server.baseUrl },
      tools: { add },
    });
    const session = await agent.createSession();
    const { events, result } = await collect(session.run('what is 4 + 5?'));
    expect(result.error?.message).toBeUndefined();
    expect(result).toMatchObject({ stopReason: 'completed', text: 'It is 9.' });
    expect(dataOf(events, 'tool_call.completed')).toMatchObject({
      toolCallId: 'toolu_1',
      output: { sum: 9 },
    });
    expect(dataOf(events, 'generation.finished')).toMatchObject({
      provider: 'anthropic.messages',
      usage: { inputTokens: 200, cachedInputTokens: 150, outputTokens: 20 },
      responseId: 'msg_0',
      cost: { currency: 'USD', amount: (50 * 1 + 150 * 0.1 + 20 * 5) / 1_000_000 },
    });
    // Priced from the built-in table, cached tokens at the cached rate.
    expect(result.costUsd).toBeCloseTo(
      (50 * 1 + 150 * 0.1 + 20 * 5 + 260 * 1 + 5 * 5) / 1_000_000,
      12,
    );
    const second = JSON.stringify(server.requests[1]!.body);
    expect(second).toContain('"tool_use_id":"toolu_1"');
    await agent.close();
  });
});

describe('user content', () => {
  it('sends images (base64, data URL or web URL) and text to the model; keeps them in the transcript', async () => {
    await using t = await startTestAgent([{ text: 'A red dot.' }, { text: 'Still a red dot.' }]);
    const session = await t.agent.createSession();
    const { result } = await collect(
      session.run({
        parts: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
          { type: 'image', mediaType: 'image/png', url: 'https://example.com/dot.png' },
        ],
      }),
    );
    expect(result.text).toBe('A red dot.');
    const sent = t.server.requests[0]!.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(sent.messages.at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'image_url', image_url: { url: 'https://example.com/dot.png' } },
      ],
    });
    // The snapshot is JSON; the web URL survives a store round trip and is sent again as a URL.
    await collect(session.run('and now?'));
    const again = JSON.stringify(t.server.requests[1]!.body);
    expect(again).toContain('https://example.com/dot.png');
  });

  it('refuses parts no model can take, and empty messages, before anything changes', async () => {
    await using t = await startTestAgent([]);
    const session = await t.agent.createSession();
    expect(() =>
      session.run({
        parts: [
          { type: 'text', text: 'see' },
          { type: 'terminal', terminalId: 't1' },
        ],
      }),
    ).toThrow(expect.objectContaining({ code: 'CORE_UNSUPPORTED_INPUT' }));
    expect(() => session.run({ parts: [] })).toThrow(
      expect.objectContaining({ code: 'CORE_EMPTY_INPUT' }),
    );
    expect(session.transcript).toEqual([]);
    expect(t.server.requests).toHaveLength(0);
  });
});
