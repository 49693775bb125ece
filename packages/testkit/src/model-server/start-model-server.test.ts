import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { describe, expect, it } from 'vitest';
import { startModelServer } from './start-model-server.js';

async function stream(baseURL: string, includeUsage = true, signal?: AbortSignal) {
  const model = createOpenAICompatible({ name: 'test', baseURL, includeUsage }).chatModel(
    'test-model',
  );
  const { stream } = await model.doStream({
    prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    tools: [
      {
        type: 'function',
        name: 'add',
        inputSchema: { type: 'object', properties: { a: { type: 'number' } } },
      },
    ],
    ...(signal ? { abortSignal: signal } : {}),
  });
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const part of stream as unknown as AsyncIterable<LanguageModelV3StreamPart>)
    parts.push(part);
  return parts;
}

describe('startModelServer through the real @ai-sdk/openai-compatible provider', () => {
  it('streams reasoning, text, parallel tool calls in fragments, and usage only when asked', async () => {
    await using server = await startModelServer({
      script: [
        {
          reasoning: ['think', 'ing'],
          text: ['He', 'llo'],
          toolCalls: [
            { id: 'c1', name: 'add', args: { a: 1 } },
            { id: 'c2', name: 'add', args: { a: 2 } },
          ],
          usage: { inputTokens: 7, outputTokens: 3, cachedInputTokens: 2 },
        },
        { text: 'no usage' },
      ],
    });
    const parts = await stream(server.baseUrl);
    expect(
      parts
        .filter((p) => p.type === 'text-delta')
        .map((p) => (p as { delta: string }).delta)
        .join(''),
    ).toBe('Hello');
    expect(
      parts
        .filter((p) => p.type === 'reasoning-delta')
        .map((p) => (p as { delta: string }).delta)
        .join(''),
    ).toBe('thinking');
    const calls = parts.filter((p) => p.type === 'tool-call') as Array<{
      toolCallId: string;
      input: string;
    }>;
    expect(calls.map((c) => [c.toolCallId, JSON.parse(c.input) as unknown])).toEqual([
      ['c1', { a: 1 }],
      ['c2', { a: 2 }],
    ]);
    expect(parts.filter((p) => p.type === 'tool-input-delta').length).toBeGreaterThan(2);
    const finish = parts.find((p) => p.type === 'finish') as {
      usage: { inputTokens: { total: number; cacheRead: number } };
    };
    expect(finish.usage.inputTokens).toMatchObject({ total: 7, cacheRead: 2 });
    expect(server.requests[0]!.body).toMatchObject({
      model: 'test-model',
      stream: true,
      stream_options: { include_usage: true },
    });
    const withoutUsage = await stream(server.baseUrl, false);
    const finish2 = withoutUsage.find((p) => p.type === 'finish') as {
      usage: { inputTokens: { total?: number } };
    };
    expect(finish2.usage.inputTokens.total).toBeUndefined();
  });

  it('answers scripted errors with the provider error shape and retry headers', async () => {
    await using server = await startModelServer({
      script: [{ error: { status: 429, retryAfterMs: 120 } }],
    });
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after-ms')).toBe('120');
    const exhausted = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      body: '{}',
    });
    expect(exhausted.status).toBe(500);
    expect(await exhausted.text()).toContain('call #1');
    expect(
      (await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: 'nope' })).status,
    ).toBe(400);
  });

  it('stalls (abort ends it) and drops connections (an error surfaces)', async () => {
    await using server = await startModelServer({
      script: [
        { text: ['a', 'b', 'c'], stallAfterChunks: 2 },
        { text: ['a', 'b', 'c'], dropAfterChunks: 2 },
      ],
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(stream(server.baseUrl, true, controller.signal)).rejects.toThrow();
    const dropped = await stream(server.baseUrl).catch((error: unknown) => error);
    const failed = Array.isArray(dropped)
      ? dropped.some((p: LanguageModelV3StreamPart) => p.type === 'error')
      : true;
    expect(failed).toBe(true);
  });

  it('checks the API key and redacts it in recorded requests', async () => {
    await using server = await startModelServer({
      script: () => ({ text: 'ok' }),
      apiKey: 'sk-test-123',
    });
    const denied = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      body: '{}',
    });
    expect(denied.status).toBe(401);
    const parts = await stream(server.baseUrl).catch(() => []);
    expect(parts).toEqual([]);
    const ok = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test-123' },
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(server.requests)).not.toContain('sk-test-123');
  });
});

describe('startModelServer through the real @ai-sdk/anthropic provider', () => {
  it('streams thinking, text and tool_use blocks with Anthropic usage', async () => {
    const { createAnthropic } = await import('@ai-sdk/anthropic');
    await using server = await startModelServer({
      apiKey: 'sk-ant-test',
      script: [
        {
          reasoning: ['hm', 'm'],
          text: ['Hi ', 'there'],
          toolCalls: [{ id: 'toolu_1', name: 'add', args: { a: 1, b: 2 } }],
          usage: { inputTokens: 100, outputTokens: 9, cachedInputTokens: 40 },
        },
        { error: { status: 429, retryAfterSeconds: 3 } },
      ],
    });
    const model = createAnthropic({ apiKey: 'sk-ant-test', baseURL: server.baseUrl })(
      'claude-test',
    );
    const { stream: parts } = await model.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      tools: [
        {
          type: 'function',
          name: 'add',
          inputSchema: { type: 'object', properties: { a: { type: 'number' } } },
        },
      ],
    });
    const seen: LanguageModelV3StreamPart[] = [];
    for await (const part of parts as unknown as AsyncIterable<LanguageModelV3StreamPart>)
      seen.push(part);
    const join = (type: string) =>
      seen
        .filter((p) => p.type === type)
        .map((p) => (p as { delta: string }).delta)
        .join('');
    expect(join('reasoning-delta')).toBe('hmm');
    expect(join('text-delta')).toBe('Hi there');
    const call = seen.find((p) => p.type === 'tool-call') as { toolCallId: string; input: string };
    expect([call.toolCallId, JSON.parse(call.input)]).toEqual(['toolu_1', { a: 1, b: 2 }]);
    const finish = seen.find((p) => p.type === 'finish') as {
      finishReason: { unified: string };
      usage: { inputTokens: { total: number; cacheRead: number }; outputTokens: { total: number } };
    };
    expect(finish.finishReason.unified).toBe('tool-calls');
    expect(finish.usage.inputTokens).toMatchObject({ total: 100, cacheRead: 40 });
    expect(finish.usage.outputTokens.total).toBe(9);
    expect(server.requests[0]).toMatchObject({
      path: '/v1/messages',
      headers: { 'x-api-key': '***' },
    });

    const failed = await Promise.resolve(
      model.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] }),
    ).catch((error: unknown) => error);
    expect(failed).toMatchObject({
      statusCode: 429,
      responseHeaders: expect.objectContaining({ 'retry-after': '3' }) as unknown,
    });
  });
});
