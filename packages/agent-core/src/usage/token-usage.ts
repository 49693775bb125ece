import type { LanguageModelV3Usage } from '@ai-sdk/provider';
import type { TokenUsage } from '@switchboard/events';

/** Spec usage (V3) → contract usage. Cached tokens stay a subset of input tokens. */
export function toTokenUsage(usage: LanguageModelV3Usage | undefined): TokenUsage {
  if (!usage) return {};
  const out: TokenUsage = {};
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  if (input.total !== undefined) out.inputTokens = input.total;
  if (output.total !== undefined) out.outputTokens = output.total;
  if (input.total !== undefined && output.total !== undefined)
    out.totalTokens = input.total + output.total;
  if (output.reasoning !== undefined) out.reasoningTokens = output.reasoning;
  if (input.cacheRead !== undefined) out.cachedInputTokens = input.cacheRead;
  if (input.cacheWrite !== undefined) out.cacheCreationInputTokens = input.cacheWrite;
  return out;
}

const KEYS = [
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'reasoningTokens',
  'cachedInputTokens',
  'cacheCreationInputTokens',
  'inputAudioTokens',
  'outputAudioTokens',
] as const;

/** Adds two usage records; a count absent from both stays absent. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const out: TokenUsage = {};
  for (const key of KEYS) {
    if (a[key] !== undefined || b[key] !== undefined) out[key] = (a[key] ?? 0) + (b[key] ?? 0);
  }
  return out;
}
