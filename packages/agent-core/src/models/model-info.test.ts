import { describe, expect, it } from 'vitest';
import { findPrice, createPriceTable } from '../usage/price-table.js';
import {
  createModelInfoTable,
  DEFAULT_MODEL_INFO,
  findModelInfo,
  modelInfoTableSchema,
} from './model-info.js';

describe('model info', () => {
  it('knows the window of every model the price table prices', () => {
    for (const model of Object.keys(createPriceTable()))
      expect(findModelInfo(DEFAULT_MODEL_INFO, 'any', model)?.contextWindow).toBeGreaterThan(0);
  });

  it('finds by provider:model, by provider base name, then by model id; users extend and override', () => {
    const table = createModelInfoTable({
      'openai-compatible:local': { contextWindow: 8_192 },
      'gpt-4o-mini': { contextWindow: 64_000 },
    });
    expect(findModelInfo(table, 'openai.responses', 'gpt-4.1')).toBe(DEFAULT_MODEL_INFO['gpt-4.1']);
    expect(findModelInfo(table, 'openai-compatible.chat', 'local')).toEqual({
      contextWindow: 8_192,
    });
    expect(findModelInfo(table, 'openai.chat', 'gpt-4o-mini')?.contextWindow).toBe(64_000);
    expect(findModelInfo(table, 'ollama', 'llama3')).toBeUndefined();
  });

  it("never finds Object.prototype's members for a model named like one", () => {
    expect(findModelInfo(DEFAULT_MODEL_INFO, 'x', 'constructor')).toBeUndefined();
    expect(findPrice(createPriceTable(), 'x', 'toString')).toBeUndefined();
  });

  it('validates the option: positive integer windows', () => {
    expect(modelInfoTableSchema.safeParse({ m: { contextWindow: 0 } }).success).toBe(false);
    expect(modelInfoTableSchema.safeParse({ m: { contextWindow: 1.5 } }).success).toBe(false);
    expect(
      modelInfoTableSchema.safeParse({ m: { contextWindow: 4096, maxOutputTokens: 512 } }).success,
    ).toBe(true);
  });
});
