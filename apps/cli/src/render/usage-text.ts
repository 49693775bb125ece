import type { UsageView } from '@switchboard/events';

/** `1,234 tokens (1,000 in, 234 out) · $0.0012`. */
export function usageText(usage: UsageView): string {
  const count = (value: number) => value.toLocaleString('en-US');
  const tokens = `${count(usage.totalTokens)} tokens (${count(usage.inputTokens)} in, ${count(usage.outputTokens)} out)`;
  if (usage.cost === undefined) return tokens;
  return `${tokens} · ${costText(usage.cost)}`;
}

/** `$0.0012`, or the amount and its currency. */
export function costText(cost: { amount: number; currency?: string }): string {
  const amount = cost.amount < 0.01 ? cost.amount.toFixed(4) : cost.amount.toFixed(2);
  return !cost.currency || cost.currency === 'USD' ? `$${amount}` : `${amount} ${cost.currency}`;
}
