import { APICallError, type LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { createScriptedModel } from './scripted-language-model.js';

const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];

async function read(stream: ReadableStream<LanguageModelV3StreamPart>) {
  const parts: LanguageModelV3StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe('createScriptedModel', () => {
  it('streams reasoning, text and tool calls (arguments in fragments) as spec parts, and records the call', async () => {
    const model = createScriptedModel([
      {
        reasoning: ['Let me ', 'think'],
        text: ['Hel', 'lo'],
        toolCalls: [{ id: 'c1', name: 'add', args: { a: 1, b: 2 } }],
        usage: { inputTokens: 12, outputTokens: 7, cachedInputTokens: 4, reasoningTokens: 3 },
      },
    ]);
    const { stream } = await model.doStream({ prompt });
    const parts = await read(stream);
    expect(parts.map((part) => part.type)).toEqual([
      'stream-start',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-end',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-end',
      'tool-call',
      'finish',
    ]);
    const deltas = parts.flatMap((part) => (part.type === 'tool-input-delta' ? [part.delta] : []));
    expect(JSON.parse(deltas.join(''))).toEqual({ a: 1, b: 2 });
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage: {
        inputTokens: { total: 12, noCache: 8, cacheRead: 4, cacheWrite: undefined },
        outputTokens: { total: 7, text: 4, reasoning: 3 },
      },
    });
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0]!.options.prompt).toEqual(prompt);
  });

  it('answers doGenerate with the same content', async () => {
    const model = createScriptedModel(() => ({ text: 'whole answer' }));
    const result = await model.doGenerate({ prompt });
    expect(result.content).toEqual([{ type: 'text', text: 'whole answer' }]);
    expect(result.finishReason.unified).toBe('stop');
  });

  it('throws scripted HTTP errors as APICallError with retry headers', async () => {
    const model = createScriptedModel([{ error: { status: 429, retryAfterSeconds: 2 } }]);
    const error = await Promise.resolve(model.doStream({ prompt })).catch(
      (caught: unknown) => caught,
    );
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: 429,
      isRetryable: true,
      responseHeaders: { 'retry-after': '2' },
    });
  });

  it('errors the stream on a scripted drop, and stalls until aborted', async () => {
    const dropped = createScriptedModel([{ text: ['a', 'b', 'c'], dropAfterChunks: 2 }]);
    await expect(read((await dropped.doStream({ prompt })).stream)).rejects.toThrow('terminated');

    const controller = new AbortController();
    const stalled = createScriptedModel([{ text: ['a', 'b'], stallAfterChunks: 1 }]);
    const reading = read(
      (await stalled.doStream({ prompt, abortSignal: controller.signal })).stream,
    );
    setTimeout(() => controller.abort(new Error('user cancelled')), 20);
    await expect(reading).rejects.toThrow('user cancelled');
  });

  it('fails clearly when the script runs out', async () => {
    const model = createScriptedModel([]);
    await expect(model.doStream({ prompt })).rejects.toThrow('Script exhausted');
  });
});
