import { z } from 'zod';

/** What the agent knows about a model's limits. */
export const modelInfoSchema = z.object({
  /** Tokens the model accepts in one call: prompt and output together. */
  contextWindow: z.number().int().positive(),
  /** Most output tokens one call may produce. */
  maxOutputTokens: z.number().int().positive().optional(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/** Model limits by `provider:model` or by bare model id (the `modelInfo` agent option). */
export const modelInfoTableSchema = z.record(z.string().min(1), modelInfoSchema);

/** Model limits by `provider:model` or by bare model id. */
export type ModelInfoTable = Readonly<Record<string, ModelInfo>>;

/**
 * The limits of the models the built-in price table knows, as published by
 * the vendors; verify before relying on them and extend or override with the
 * `modelInfo` agent option. A model missing here has no known window: the
 * agent reports none rather than a guess.
 */
export const DEFAULT_MODEL_INFO: ModelInfoTable = {
  'gpt-4.1': { contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  'gpt-4.1-mini': { contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  'gpt-4o-mini': { contextWindow: 128_000, maxOutputTokens: 16_384 },
  'claude-sonnet-4-5': { contextWindow: 200_000, maxOutputTokens: 64_000 },
  'claude-haiku-4-5': { contextWindow: 200_000, maxOutputTokens: 64_000 },
};

/** The built-in table with the user's entries on top. */
export function createModelInfoTable(extra: ModelInfoTable = {}): ModelInfoTable {
  return { ...DEFAULT_MODEL_INFO, ...extra };
}

/**
 * An entry of a table keyed by model: by `provider:model`, then by the
 * provider's base name (`openai.chat` → `openai`), then by model id. Prices
 * and model limits are looked up the same way.
 */
export function findModelEntry<T>(
  table: Readonly<Record<string, T>>,
  provider: string,
  model: string,
): T | undefined {
  // Own keys only: a model named `constructor` must not find Object.prototype's.
  const own = (key: string) => (Object.hasOwn(table, key) ? table[key] : undefined);
  return own(`${provider}:${model}`) ?? own(`${provider.split('.')[0]}:${model}`) ?? own(model);
}

/** The limits of a model, or `undefined` when the table does not know it. */
export function findModelInfo(
  table: ModelInfoTable,
  provider: string,
  model: string,
): ModelInfo | undefined {
  return findModelEntry(table, provider, model);
}
