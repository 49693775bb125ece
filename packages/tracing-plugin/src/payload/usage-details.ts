import type { TokenUsage } from '@switchboard/events';

/** Langfuse's canonical usage keys, priced on every model card that has them. */
export type LangfuseUsage = Partial<
  Record<
    | 'input'
    | 'output'
    | 'total'
    | 'input_cached_tokens'
    | 'input_cache_creation'
    | 'output_reasoning_tokens',
    number
  >
>;

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value != null ? (value as Record<string, unknown>) : {};

/**
 * Normalises a usage record to Langfuse's canonical keys (`input`, `output`,
 * `input_cached_tokens`, `input_cache_creation`, `output_reasoning_tokens`,
 * `total`), whatever style it comes in:
 *
 * - the Switchboard contract (`inputTokens`, with `cachedInputTokens` and
 *   `reasoningTokens` as subsets), which every Switchboard event carries;
 * - OpenAI chat completions (`prompt_tokens`, `*_details`) and responses
 *   (`input_tokens` + `input_tokens_details`): cached and reasoning are subsets;
 * - Anthropic (`input_tokens` + `cache_read_input_tokens`): cache counts are
 *   additive, reported apart from `input_tokens`;
 * - Gemini (`promptTokenCount`, `cachedContentTokenCount`, `thoughtsTokenCount`).
 *
 * `input` and `output` exclude the cached and reasoning parts, so a model
 * card prices every token exactly once. Returns `undefined` when nothing is
 * countable (an empty map would read as "zero tokens").
 */
export function toLangfuseUsage(usage: unknown): LangfuseUsage | undefined {
  const u = record(usage);
  let input: number | undefined;
  let output: number | undefined;
  let cached: number | undefined;
  let cacheWrite: number | undefined;
  let reasoning: number | undefined;
  let total: number | undefined;
  if ('inputTokens' in u || 'outputTokens' in u) {
    const contract = u as TokenUsage;
    cached = count(contract.cachedInputTokens);
    cacheWrite = count(contract.cacheCreationInputTokens);
    reasoning = count(contract.reasoningTokens);
    input = subtract(count(contract.inputTokens), cached);
    output = subtract(count(contract.outputTokens), reasoning);
    total = count(contract.totalTokens);
  } else if ('promptTokenCount' in u || 'candidatesTokenCount' in u) {
    cached = count(u.cachedContentTokenCount);
    reasoning = count(u.thoughtsTokenCount);
    input = subtract(count(u.promptTokenCount), cached);
    output = count(u.candidatesTokenCount); // thoughts are reported apart from candidates
    total = count(u.totalTokenCount);
  } else if (
    'cache_read_input_tokens' in u ||
    'cache_creation_input_tokens' in u ||
    ('input_tokens' in u && !('input_tokens_details' in u) && !('total_tokens' in u))
  ) {
    // Anthropic: input_tokens excludes cache reads and writes.
    input = count(u.input_tokens);
    output = count(u.output_tokens);
    cached = count(u.cache_read_input_tokens);
    cacheWrite = count(u.cache_creation_input_tokens);
  } else {
    const inputDetails = record(u.prompt_tokens_details ?? u.input_tokens_details);
    const outputDetails = record(u.completion_tokens_details ?? u.output_tokens_details);
    cached = count(inputDetails.cached_tokens);
    reasoning = count(outputDetails.reasoning_tokens);
    input = subtract(count(u.prompt_tokens ?? u.input_tokens), cached);
    output = subtract(count(u.completion_tokens ?? u.output_tokens), reasoning);
    total = count(u.total_tokens);
  }
  const out: LangfuseUsage = {};
  if (input !== undefined) out.input = input;
  if (output !== undefined) out.output = output;
  if (cached) out.input_cached_tokens = cached;
  if (cacheWrite) out.input_cache_creation = cacheWrite;
  if (reasoning) out.output_reasoning_tokens = reasoning;
  if (total !== undefined) out.total = total;
  else if (input !== undefined || output !== undefined) {
    out.total = (input ?? 0) + (output ?? 0) + (cached ?? 0) + (cacheWrite ?? 0) + (reasoning ?? 0);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function subtract(whole: number | undefined, part: number | undefined): number | undefined {
  return whole === undefined ? undefined : Math.max(whole - (part ?? 0), 0);
}
