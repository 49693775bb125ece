import type { TokenUsage } from '@switchboard/events';
import { findModelEntry } from '../models/model-info.js';

/** Prices in USD per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Cached input (a subset of input); defaults to the input price. */
  cachedInputPerMTok?: number;
  /** Tokens written to the prompt cache; defaults to the input price. */
  cacheWritePerMTok?: number;
}

/** Prices by `provider:model` or by bare model id. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * A few list prices (USD per million tokens) as published by the vendors;
 * verify before relying on them and extend or override with `prices`.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6, cachedInputPerMTok: 0.1 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 },
  'claude-sonnet-4-5': {
    inputPerMTok: 3,
    outputPerMTok: 15,
    cachedInputPerMTok: 0.3,
    cacheWritePerMTok: 3.75,
  },
  'claude-haiku-4-5': {
    inputPerMTok: 1,
    outputPerMTok: 5,
    cachedInputPerMTok: 0.1,
    cacheWritePerMTok: 1.25,
  },
};

/** The built-in table with the user's entries on top. */
export function createPriceTable(extra: PriceTable = {}): PriceTable {
  return { ...DEFAULT_PRICES, ...extra };
}

/** Looks a model up by `provider:model`, then by the provider's base name (`openai.chat` → `openai`), then by model id. */
export function findPrice(
  table: PriceTable,
  provider: string,
  model: string,
): ModelPrice | undefined {
  return findModelEntry(table, provider, model);
}

/**
 * Cost of one usage record. Cached tokens are part of the input count, so they
 * are charged at the cached price instead of, never on top of, the input price.
 */
export function computeCost(usage: TokenUsage, price: ModelPrice): number {
  const input = usage.inputTokens ?? 0;
  const cached = Math.min(usage.cachedInputTokens ?? 0, input);
  const cacheWrite = usage.cacheCreationInputTokens ?? 0;
  const perToken = (perMTok: number) => perMTok / 1_000_000;
  return (
    (input - cached) * perToken(price.inputPerMTok) +
    cached * perToken(price.cachedInputPerMTok ?? price.inputPerMTok) +
    cacheWrite * perToken(price.cacheWritePerMTok ?? price.inputPerMTok) +
    (usage.outputTokens ?? 0) * perToken(price.outputPerMTok)
  );
}

/** Prices one call in USD from `table`: `undefined` when the model has no price. */
export function createCostOf(
  table: PriceTable,
): (usage: TokenUsage, provider: string, model: string) => number | undefined {
  return (usage, provider, model) => {
    const price = findPrice(table, provider, model);
    return price ? computeCost(usage, price) : undefined;
  };
}
