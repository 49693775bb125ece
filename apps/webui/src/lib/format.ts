/** `1.2 s`, `340 ms`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** `950`, `12.3k`, `1.2M`. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

/** `$0.0012`, `$1.23`; other currencies by code. */
export function formatCost(cost: { amount: number; currency: string }): string {
  const digits = cost.amount < 0.01 ? 4 : 2;
  const amount = cost.amount.toFixed(digits);
  return cost.currency === 'USD' ? `$${amount}` : `${amount} ${cost.currency}`;
}

// Built once: `toLocaleTimeString(locale, options)` builds a formatter per call,
// which the sidebar paid for every row on every render (the render bench
// profile showed it among the top self times while a long session streamed in).
let timeOfDay: Intl.DateTimeFormat | undefined;
let dayOfYear: Intl.DateTimeFormat | undefined;

/** A short, local time of day or date for a list entry. */
export function formatWhen(ts: number, now = Date.now()): string {
  const date = new Date(ts);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  if (sameDay) {
    timeOfDay ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
    return timeOfDay.format(date);
  }
  dayOfYear ??= new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
  return dayOfYear.format(date);
}

/** JSON for people: pretty, and strings as they are. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return '(a value that cannot be shown)';
  }
}

/** A random id the API accepts (letters, digits, `_`), also outside secure contexts. */
export function randomId(prefix: string): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `${prefix}_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * An error message without its trailing hint (the contract appends the hint
 * to the message, so a surface showing only the message still helps); the
 * app shows the hint on its own line instead.
 */
export function withoutHint(message: string, hint: string | undefined): string {
  if (!hint) return message;
  const trimmed = message.trimEnd();
  return trimmed.endsWith(hint) ? trimmed.slice(0, -hint.length).trimEnd() : message;
}
