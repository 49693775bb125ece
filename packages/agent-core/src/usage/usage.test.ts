import { describe, expect, it } from 'vitest';
import {
  computeCost,
  createCostOf,
  createPriceTable,
  DEFAULT_PRICES,
  findPrice,
} from './price-table.js';
import { addUsage, toTokenUsage } from './token-usage.js';

describe('toTokenUsage', () => {
  it('maps spec usage to the contract, cached tokens staying a subset of input', () => {
    expect(
      toTokenUsage({
        inputTokens: { total: 1000, noCache: 200, cacheRead: 800, cacheWrite: undefined },
        outputTokens: { total: 50, text: 30, reasoning: 20 },
      }),
    ).toEqual({
      inputTokens: 1000,
      outputTokens: 50,
      totalTokens: 1050,
      reasoningTokens: 20,
      cachedInputTokens: 800,
    });
  });

  it('reports nothing rather than zeros when the provider sent no usage', () => {
    expect(toTokenUsage(undefined)).toEqual({});
    expect(
      toTokenUsage({
        inputTokens: {
          total: undefined,
          noCache: undefined,
          cacheRead: undefined,
          cacheWrite: undefined,
        },
        outputTokens: { total: undefined, text: undefined, reasoning: undefined },
      }),
    ).toEqual({});
  });
});

describe('addUsage', () => {
  it('adds counts present on either side and leaves absent ones absent', () => {
    expect(
      addUsage({ inputTokens: 1, outputTokens: 2 }, { inputTokens: 3, reasoningTokens: 4 }),
    ).toEqual({
      inputTokens: 4,
      outputTokens: 2,
      reasoningTokens: 4,
    });
  });
});

describe('prices', () => {
  it('charges cached input at the cached price instead of, not on top of, the input price', () => {
    const price = { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 };
    const cost = computeCost(
      { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 100_000 },
      price,
    );
    expect(cost).toBeCloseTo(0.6 * 2 + 0.4 * 0.5 + 0.1 * 8, 10);
  });

  it('finds by provider:model, by provider base name, then by model id; users extend the table', () => {
    const table = createPriceTable({
      'openai-compatible:local': { inputPerMTok: 0, outputPerMTok: 0 },
    });
    expect(findPrice(table, 'openai.chat', 'gpt-4.1')).toBe(DEFAULT_PRICES['gpt-4.1']);
    expect(findPrice(table, 'openai-compatible.chat', 'local')).toEqual({
      inputPerMTok: 0,
      outputPerMTok: 0,
    });
    expect(findPrice(table, 'x', 'unknown')).toBeUndefined();
    expect(
      createPriceTable({ 'gpt-4.1': { inputPerMTok: 9, outputPerMTok: 9 } })['gpt-4.1']
        ?.inputPerMTok,
    ).toBe(9);
  });

  it('prices a call from the table, or leaves it unpriced', () => {
    const costOf = createCostOf(createPriceTable());
    expect(costOf({ inputTokens: 1_000_000 }, 'openai.chat', 'gpt-4.1')).toBeCloseTo(2, 10);
    expect(costOf({ inputTokens: 1_000_000 }, 'x', 'unknown')).toBeUndefined();
  });
});
