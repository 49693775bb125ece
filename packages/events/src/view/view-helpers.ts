import type { Cost, TokenUsage } from '../schema/shared-schemas.js';
import type { UsageView } from './session-view.js';

/** Usage before any model call. */
export const ZERO_USAGE: UsageView = {
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  totalTokens: 0,
};

export function toUsage(usage: TokenUsage, cost: Cost | undefined): UsageView {
  return addUsage(ZERO_USAGE, usage, cost);
}

export function addUsage(
  total: UsageView,
  usage: TokenUsage | undefined,
  cost: Cost | undefined,
): UsageView {
  if (usage === undefined && cost === undefined) return total;
  const input = usage?.inputTokens ?? 0;
  const output = usage?.outputTokens ?? 0;
  return withoutUndefined({
    inputTokens: total.inputTokens + input,
    outputTokens: total.outputTokens + output,
    cachedInputTokens: total.cachedInputTokens + (usage?.cachedInputTokens ?? 0),
    reasoningTokens: total.reasoningTokens + (usage?.reasoningTokens ?? 0),
    totalTokens: total.totalTokens + (usage?.totalTokens ?? input + output),
    cost: addCost(total.cost, cost),
  });
}

/** Sums amounts of one currency; a second currency keeps the first (never mixes). */
export function addCost(total: Cost | undefined, cost: Cost | undefined): Cost | undefined {
  if (cost === undefined) return total;
  if (total === undefined) return { amount: cost.amount, currency: cost.currency };
  if (total.currency !== cost.currency) return total;
  return { amount: total.amount + cost.amount, currency: total.currency };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value != null && !Array.isArray(value);
}

export function stringField(data: object, key: string): string | undefined {
  const value: unknown = (data as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(data: object, key: string): number | undefined {
  const value: unknown = (data as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

/**
 * Drops keys whose value is undefined, so views built live and from a
 * replayed log compare equal field by field (JSON has no undefined).
 */
export function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out as T;
}
