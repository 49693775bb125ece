import { describe, expect, it } from 'vitest';
import { createRedactor } from './redactor.js';
import { isSessionSampled, sessionHashUnit } from './sampling.js';
import { serializeForSpan } from './serialize.js';
import { toLangfuseUsage } from './usage-details.js';

describe('toLangfuseUsage', () => {
  it.each([
    [
      'Switchboard contract (subsets)',
      {
        inputTokens: 1000,
        outputTokens: 50,
        totalTokens: 1050,
        cachedInputTokens: 800,
        reasoningTokens: 20,
      },
      {
        input: 200,
        input_cached_tokens: 800,
        output: 30,
        output_reasoning_tokens: 20,
        total: 1050,
      },
    ],
    [
      'OpenAI chat completions',
      {
        prompt_tokens: 1000,
        completion_tokens: 50,
        total_tokens: 1050,
        prompt_tokens_details: { cached_tokens: 800 },
        completion_tokens_details: { reasoning_tokens: 20 },
      },
      {
        input: 200,
        input_cached_tokens: 800,
        output: 30,
        output_reasoning_tokens: 20,
        total: 1050,
      },
    ],
    [
      'OpenAI responses',
      {
        input_tokens: 1000,
        output_tokens: 50,
        total_tokens: 1050,
        input_tokens_details: { cached_tokens: 800 },
        output_tokens_details: { reasoning_tokens: 20 },
      },
      {
        input: 200,
        input_cached_tokens: 800,
        output: 30,
        output_reasoning_tokens: 20,
        total: 1050,
      },
    ],
    [
      'Anthropic (additive cache)',
      {
        input_tokens: 200,
        output_tokens: 50,
        cache_read_input_tokens: 800,
        cache_creation_input_tokens: 100,
      },
      { input: 200, input_cached_tokens: 800, input_cache_creation: 100, output: 50, total: 1150 },
    ],
    [
      'Gemini',
      {
        promptTokenCount: 1000,
        candidatesTokenCount: 30,
        thoughtsTokenCount: 20,
        cachedContentTokenCount: 800,
        totalTokenCount: 1050,
      },
      {
        input: 200,
        input_cached_tokens: 800,
        output: 30,
        output_reasoning_tokens: 20,
        total: 1050,
      },
    ],
  ])('%s', (_name, usage, expected) => {
    expect(toLangfuseUsage(usage)).toEqual(expected);
  });

  it('returns undefined for nothing countable and drops garbage values', () => {
    for (const value of [undefined, null, 'x', {}, { inputTokens: -1 }, { prompt_tokens: 1.5 }]) {
      expect(toLangfuseUsage(value)).toBeUndefined();
    }
    expect(toLangfuseUsage({ inputTokens: 5, outputTokens: 'many' })).toEqual({
      input: 5,
      total: 5,
    });
  });
});

describe('createRedactor', () => {
  const redact = createRedactor({
    patterns: [/ticket-\d+/],
    mask: (text) => text.replace('Bob', '[NAME]'),
  });

  it('redacts strings deep inside values and secret-named fields, without changing the input', () => {
    const input = {
      note: 'Bob used sk-proj-aaaaaaaaaaaaaaaa and ticket-42',
      nested: [{ headers: { Authorization: 'whatever', accept: 'json' } }],
      password: 'hunter2',
      count: 3,
    };
    const copy = structuredClone(input);
    expect(redact(input, 'input')).toEqual({
      note: '[NAME] used [REDACTED] and [REDACTED]',
      nested: [{ headers: { Authorization: '[REDACTED]', accept: 'json' } }],
      password: '[REDACTED]',
      count: 3,
    });
    expect(input).toEqual(copy);
  });

  it('knows provider and Langfuse keys, AWS ids, GitHub tokens and bearer tokens', () => {
    const text =
      'sk-ant-api03-xxxxxxxxxx pk-lf-1234567 sk-lf-abcdefg AKIAABCDEFGHIJKLMNOP ghp_abcdefghijklmnopqrstuv Bearer abc.def-ghi';
    expect(redact(text, 'output')).toBe(
      '[REDACTED] [REDACTED] [REDACTED] [REDACTED] [REDACTED] Bearer [REDACTED]',
    );
  });

  it('never passes a deeply nested value through unredacted, and survives cycles', () => {
    let deep: unknown = { leaf: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a' };
    for (let level = 0; level < 100; level++) deep = { inner: deep };
    expect(JSON.stringify(redact(deep, 'tool.output'))).not.toContain('ghp_16C7e42F');
    const cyclic: Record<string, unknown> = { token: 'abc' };
    cyclic.self = cyclic;
    expect(redact(cyclic, 'metadata')).toEqual({ token: '[REDACTED]', self: '[Circular]' });
  });
});

describe('serializeForSpan', () => {
  it('passes strings, serialises objects, and cuts after serialising with a marker', () => {
    expect(serializeForSpan('hi', 10)).toBe('hi');
    expect(serializeForSpan({ a: 1 }, 100)).toBe('{"a":1}');
    expect(serializeForSpan({ text: 'x'.repeat(50) }, 20)).toBe(
      `{"text":"xxxxxxxxxxx…[truncated 41 chars]`,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(serializeForSpan(cyclic, 100)).toBe('<unserializable>');
  });

  it('never splits a surrogate pair', () => {
    const out = serializeForSpan(`ab${'😀'.repeat(5)}`, 3);
    expect(out.startsWith('ab…')).toBe(true);
  });
});

describe('sampling', () => {
  it('is deterministic per session and near the requested rate', () => {
    expect(sessionHashUnit('abc')).toBe(sessionHashUnit('abc'));
    const ids = Array.from({ length: 2_000 }, (_, index) => `ses_${index}`);
    const kept = ids.filter((id) => isSessionSampled(id, 0.25)).length / ids.length;
    expect(kept).toBeGreaterThan(0.2);
    expect(kept).toBeLessThan(0.3);
    expect(ids.every((id) => isSessionSampled(id, 1))).toBe(true);
    expect(ids.some((id) => isSessionSampled(id, 0))).toBe(false);
  });
});
