import { createAgent, defineTool } from '@switchboard/agent-core';
import { isKnownEvent, type AnyEvent } from '@switchboard/events';
import { startModelServer } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { metadataOf, startTracingHarness } from '../test-helpers/tracing-harness.js';

const add = defineTool({
  description: 'Add two numbers',
  inputSchema: z.object({ a: z.number(), b: z.number(), delayMs: z.number().optional() }),
  execute: async ({ a, b, delayMs }) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs ?? 1));
    return { sum: a + b };
  },
});

const toolTurn = [
  {
    text: 'Let me add.',
    toolCalls: [{ id: 'call_1', name: 'add', args: { a: 2, b: 3 } }],
    usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 60, reasoningTokens: 5 },
  },
  { text: ['The sum ', 'is 5.'], usage: { inputTokens: 140, outputTokens: 6 } },
];

describe('trace shape, on the wire', () => {
  it('one trace per turn: agent root, header event, generations, tool, answer event', async () => {
    await using h = await startTracingHarness(toolTurn, { agent: { tools: { add } } });
    await h.turn('What is 2 + 3?');
    const spans = h.spans();
    expect(spans.map((span) => span.name).sort()).toEqual(
      [
        'assistant response',
        'llm: test-model #1',
        'llm: test-model #2',
        'tester — Turn 1',
        'tool: add',
        'user message',
      ].sort(),
    );
    const root = h.span('tester — Turn 1');
    expect(root.parentSpanId).toBeNull();
    expect(root.attributes).toMatchObject({
      'langfuse.observation.type': 'agent',
      'langfuse.internal.is_app_root': true,
      'langfuse.observation.input': 'What is 2 + 3?',
      'langfuse.observation.output': 'The sum is 5.',
      'langfuse.trace.input': 'What is 2 + 3?',
      'langfuse.trace.output': 'The sum is 5.',
    });
    for (const span of spans) {
      expect(span.traceId).toBe(root.traceId);
      if (span !== root) expect(span.parentSpanId, span.name).toBe(root.spanId);
      expect(span.scope.name).toBe('langfuse-sdk');
    }
    expect(h.span('user message').attributes['langfuse.observation.type']).toBe('event');
    expect(h.span('assistant response').attributes).toMatchObject({
      'langfuse.observation.type': 'event',
      'langfuse.observation.output': 'The sum is 5.',
    });
    const tool = h.span('tool: add');
    expect(tool.attributes).toMatchObject({
      'langfuse.observation.type': 'tool',
      'langfuse.observation.input': '{"a":2,"b":3}',
      'langfuse.observation.output': '{"sum":5}',
    });
    expect(tool.attributes['langfuse.observation.level']).toBeUndefined();
    expect(metadataOf(tool)).toMatchObject({ toolCallId: 'call_1', status: 'completed' });
    // Spans follow each other in time as the events did.
    expect(tool.startTime).toBeGreaterThanOrEqual(h.span('llm: test-model #1').endTime);
    expect(root.endTime).toBeGreaterThanOrEqual(h.span('llm: test-model #2').endTime);
  });

  it('puts name, session, user, tags, environment and release on every observation', async () => {
    await using h = await startTracingHarness(toolTurn, {
      agent: { tools: { add } },
      plugin: { tags: ['prod'] },
    });
    const session = await h.agent.createSession({ id: 'ses-attrs' });
    await h.turn('hi', session);
    expect(h.spans()).toHaveLength(6);
    for (const span of h.spans()) {
      expect(span.attributes, span.name).toMatchObject({
        'langfuse.trace.name': 'tester — Turn 1',
        'session.id': 'ses-attrs',
        'user.id': 'user-1',
        'langfuse.trace.tags': ['prod', 'agent:tester'],
        'langfuse.environment': 'test',
        'langfuse.release': 'r42',
      });
    }
  });

  it('maps a generation: model, parameters, normalised usage, cost, first-token time, real times', async () => {
    await using h = await startTracingHarness(toolTurn, {
      agent: {
        tools: { add },
        modelSettings: { temperature: 0.2, maxOutputTokens: 256 },
        prices: { 'test-model': { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 } },
      },
    });
    const events: Array<{ type: string; ts: number; data: unknown }> = [];
    h.agent.bus.on('*', (event) => events.push(event));
    await h.turn('add');
    const generation = h.span('llm: test-model #1');
    expect(generation.attributes).toMatchObject({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'test-model',
    });
    expect(
      JSON.parse(generation.attributes['langfuse.observation.model.parameters'] as string),
    ).toEqual({
      temperature: 0.2,
      maxOutputTokens: 256,
    });
    // Cached and reasoning tokens are subsets in the contract: priced once each.
    expect(
      JSON.parse(generation.attributes['langfuse.observation.usage_details'] as string),
    ).toEqual({
      input: 40,
      input_cached_tokens: 60,
      output: 15,
      output_reasoning_tokens: 5,
      total: 120,
    });
    const cost = JSON.parse(
      generation.attributes['langfuse.observation.cost_details'] as string,
    ) as {
      total: number;
    };
    expect(cost.total).toBeCloseTo((40 * 2 + 60 * 0.5 + 20 * 8) / 1_000_000, 12);
    const started = events.find((event) => event.type === 'generation.started')!;
    const finished = events.find((event) => event.type === 'generation.finished')!;
    expect(generation.startTime).toBe(started.ts);
    expect(generation.endTime).toBe(finished.ts);
    const ttft = (finished.data as { timeToFirstTokenMs: number }).timeToFirstTokenMs;
    expect(
      new Date(
        JSON.parse(
          generation.attributes['langfuse.observation.completion_start_time'] as string,
        ) as string,
      ).getTime(),
    ).toBe(started.ts + ttft);
    expect(JSON.parse(generation.attributes['langfuse.observation.output'] as string)).toEqual({
      text: 'Let me add.',
      toolCalls: [{ toolCallId: 'call_1', toolName: 'add', input: { a: 2, b: 3 } }],
    });
    expect(metadataOf(generation)).toMatchObject({
      provider: 'openai-compatible.chat',
      finishReason: 'tool-calls',
    });
  });

  it('maps Anthropic usage (cache reads reported apart) without counting cached tokens twice', async () => {
    await using server = await startModelServer({
      apiKey: 'sk-ant-x',
      script: [
        { text: 'hi', usage: { inputTokens: 1000, outputTokens: 10, cachedInputTokens: 800 } },
      ],
    });
    await using h = await startTracingHarness([]);
    const claude = createAgent({
      name: 'claude',
      model: 'anthropic:claude-haiku-4-5',
      env: { ANTHROPIC_API_KEY: 'sk-ant-x', ANTHROPIC_BASE_URL: server.baseUrl },
    });
    h.plugin.attach(claude);
    await (await claude.createSession()).run('hello').result;
    await claude.bus.flush();
    await h.plugin.flush();
    const generation = h.span('llm: claude-haiku-4-5 #1');
    expect(
      JSON.parse(generation.attributes['langfuse.observation.usage_details'] as string),
    ).toEqual({
      input: 200,
      input_cached_tokens: 800,
      output: 10,
      total: 1010,
    });
    await claude.close();
  });

  it('pairs parallel calls of the same tool with their own inputs and outputs, by call id', async () => {
    await using h = await startTracingHarness(
      [
        {
          toolCalls: [
            { id: 'slow', name: 'add', args: { a: 1, b: 1, delayMs: 40 } },
            { id: 'fast', name: 'add', args: { a: 10, b: 10, delayMs: 1 } },
          ],
        },
        { text: '2 and 20' },
      ],
      { agent: { tools: { add } } },
    );
    await h.turn('two sums');
    const tools = h.spans().filter((span) => span.name === 'tool: add');
    expect(tools).toHaveLength(2);
    const byId = Object.fromEntries(
      tools.map((span) => [
        metadataOf(span).toolCallId as string,
        [
          span.attributes['langfuse.observation.input'],
          span.attributes['langfuse.observation.output'],
        ],
      ]),
    );
    expect(byId).toEqual({
      slow: ['{"a":1,"b":1,"delayMs":40}', '{"sum":2}'],
      fast: ['{"a":10,"b":10,"delayMs":1}', '{"sum":20}'],
    });
  });

  it('marks failed tools ERROR (thrown errors, MCP error results), denied ones WARNING, as the events say', async () => {
    const broken = defineTool({
      description: 'fails',
      inputSchema: z.object({}),
      execute: () => {
        throw new Error('disk on fire');
      },
    });
    const soft = defineTool({
      description: 'returns a result that reports a failure in its own words',
      inputSchema: z.object({}),
      execute: () => ({ success: false, reason: 'no such user' }),
    });
    const mcpStyle = defineTool({
      description: 'returns an MCP error result',
      inputSchema: z.object({}),
      execute: () => ({ isError: true, content: [{ type: 'text', text: 'no such user' }] }),
    });
    await using h = await startTracingHarness(
      [
        {
          toolCalls: [
            { id: 'c1', name: 'broken', args: {} },
            { id: 'c2', name: 'soft', args: {} },
            { id: 'c3', name: 'nope', args: {} },
            { id: 'c4', name: 'guarded', args: {} },
            { id: 'c5', name: 'mcpStyle', args: {} },
          ],
        },
        { text: 'sorry' },
      ],
      {
        agent: {
          tools: { broken, soft, guarded: soft, mcpStyle },
          hooks: {
            pre_tool_call: ({ toolName }) =>
              toolName === 'guarded' ? { block: 'not on Fridays' } : undefined,
          },
        },
      },
    );
    const events: AnyEvent[] = [];
    h.agent.bus.on('*', (event) => void events.push(event));
    await h.turn('try');
    const broke = h.span('tool: broken');
    expect(broke.attributes).toMatchObject({
      'langfuse.observation.level': 'ERROR',
      'langfuse.observation.status_message': 'disk on fire',
    });
    expect(broke.status.code).toBe(2);
    // `{success: false}` is a completed call in the events (the model reads the
    // result and decides); the trace agrees instead of judging it on its own.
    const softCompleted = events
      .filter(isKnownEvent)
      .find((event) => event.type === 'tool_call.completed' && event.data.toolCallId === 'c2');
    expect(softCompleted?.data).toMatchObject({ status: 'completed' });
    expect(h.span('tool: soft').attributes['langfuse.observation.level']).toBeUndefined();
    expect(h.span('tool: soft').status.code).not.toBe(2);
    expect(h.span('tool: mcpStyle').attributes).toMatchObject({
      'langfuse.observation.level': 'ERROR',
      'langfuse.observation.status_message': 'no such user',
    });
    // An unknown tool fails before running: it still has its observation.
    expect(h.span('tool: nope').attributes['langfuse.observation.level']).toBe('ERROR');
    expect(h.span('tool: guarded').attributes).toMatchObject({
      'langfuse.observation.level': 'WARNING',
      'langfuse.observation.status_message': 'Blocked: not on Fridays',
    });
  });

  it('numbers turns per session, across turns, and starts again after a reset', async () => {
    await using h = await startTracingHarness((_request, index) => ({ text: `answer ${index}` }));
    const session = await h.agent.createSession();
    await h.turn('one', session);
    await h.turn('two', session);
    const other = await h.agent.createSession();
    await h.turn('elsewhere', other);
    await session.reset();
    await h.turn('three', session);
    const roots = h
      .spans()
      .filter((span) => span.attributes['langfuse.observation.type'] === 'agent')
      .map((span) => [
        span.attributes['session.id'],
        span.name,
        span.attributes['langfuse.observation.input'],
      ]);
    expect(roots).toEqual([
      [session.id, 'tester — Turn 1', 'one'],
      [session.id, 'tester — Turn 2', 'two'],
      [other.id, 'tester — Turn 1', 'elsewhere'],
      [session.id, 'tester — Turn 1', 'three'],
    ]);
    expect(new Set(h.spans().map((span) => span.traceId)).size).toBe(4);
  });

  it('nests a sub-agent run under the tool call that started it, in the same trace', async () => {
    await using researchServer = await startModelServer({ script: [{ text: 'Found 3 papers.' }] });
    const researcher = createAgent({
      name: 'researcher',
      model: 'openai-compatible:r',
      env: { SWITCHBOARD_BASE_URL: researchServer.baseUrl },
    });
    await using h = await startTracingHarness(
      [
        { toolCalls: [{ id: 's1', name: 'research', args: { task: 'find papers' } }] },
        { text: 'Done.' },
      ],
      { agent: { tools: { research: researcher.asTool({ description: 'Research' }) } } },
    );
    await h.turn('research SSE');
    const root = h.span('tester — Turn 1');
    const tool = h.span('tool: research');
    const child = h.span('agent: researcher');
    const childGeneration = h.span('llm: r #1');
    expect(child.parentSpanId).toBe(tool.spanId);
    expect(childGeneration.parentSpanId).toBe(child.spanId);
    for (const span of [tool, child, childGeneration]) {
      expect(span.traceId).toBe(root.traceId);
      expect(span.attributes['langfuse.trace.name']).toBe('tester — Turn 1');
    }
    expect(child.attributes['langfuse.observation.output']).toBe('Found 3 papers.');
    expect(h.spans().filter((span) => span.name === 'assistant response')).toHaveLength(1);
    await researcher.close();
  });

  it('puts multimodal input on the root without the inline bytes', async () => {
    await using h = await startTracingHarness([{ text: 'A dot.' }]);
    const session = await h.agent.createSession();
    await session.run({
      parts: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', mediaType: 'image/png', data: 'A'.repeat(4_000) },
      ],
    }).result;
    await h.agent.bus.flush();
    await h.plugin.flush();
    expect(
      JSON.parse(h.span('tester — Turn 1').attributes['langfuse.observation.input'] as string),
    ).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', mediaType: 'image/png', data: '[3000 bytes inline]' },
    ]);
  });
});
