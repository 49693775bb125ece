import { describe, expect, it } from 'vitest';
import { resolveModel } from './resolve-model.js';

describe('resolveModel', () => {
  it('builds each built-in provider from a model string', () => {
    const env = { OPENAI_API_KEY: 'sk-test-1234567', ANTHROPIC_API_KEY: 'sk-ant-test-123' };
    const pairs = [
      ['openai:gpt-4.1-mini', 'openai.chat', 'gpt-4.1-mini'],
      ['anthropic:claude-haiku-4-5', 'anthropic.messages', 'claude-haiku-4-5'],
      ['ollama:llama3.2', 'ollama.chat', 'llama3.2'],
    ] as const;
    for (const [ref, provider, modelId] of pairs) {
      const model = resolveModel(ref, { env });
      expect([model.specificationVersion, model.provider, model.modelId]).toEqual([
        'v3',
        provider,
        modelId,
      ]);
    }
    const compatible = resolveModel('openai-compatible:qwen', {
      env: { SWITCHBOARD_BASE_URL: 'http://127.0.0.1:9/v1' },
    });
    expect([compatible.provider, compatible.modelId]).toEqual(['openai-compatible.chat', 'qwen']);
  });

  it('passes a LanguageModelV3 object through', () => {
    const model = resolveModel('ollama:x', { env: {} });
    expect(resolveModel(model)).toBe(model);
  });

  it('names the missing variable, never a key', () => {
    expect(() => resolveModel('openai:gpt-4.1', { env: {} })).toThrow(
      expect.objectContaining({
        code: 'CORE_MISSING_API_KEY',
        hint: expect.stringContaining('OPENAI_API_KEY') as string,
      }),
    );
    expect(() => resolveModel('anthropic:claude', { env: {} })).toThrow(
      expect.objectContaining({ code: 'CORE_MISSING_API_KEY' }),
    );
    expect(() => resolveModel('openai-compatible:x', { env: {} })).toThrow(
      expect.objectContaining({
        code: 'CORE_MISSING_BASE_URL',
        hint: expect.stringContaining('SWITCHBOARD_BASE_URL') as string,
      }),
    );
  });

  it('rejects unknown providers and malformed strings with the accepted forms', () => {
    for (const ref of ['gemini:pro', 'gpt-4', ':x', 'openai:']) {
      expect(() => resolveModel(ref, { env: {} })).toThrow(
        expect.objectContaining({
          code: 'CORE_UNKNOWN_PROVIDER',
          hint: expect.stringContaining('openai-compatible:<model>') as string,
        }),
      );
    }
  });

  it('prefers settings over the environment', () => {
    const model = resolveModel('openai-compatible:m', {
      openaiCompatible: { baseURL: 'http://127.0.0.1:1/v1', name: 'local' },
      env: { SWITCHBOARD_BASE_URL: 'http://example.invalid' },
    });
    expect(model.provider).toBe('local.chat');
  });
});
