/** Where a value is going, so a `mask` hook can treat fields differently. */
export type RedactField =
  'input' | 'output' | 'tool.input' | 'tool.output' | 'generation.output' | 'metadata' | 'error';

/** Replaces secrets in a value; receives every string (already redacted by the patterns). */
export type MaskFunction = (value: string, context: { field: RedactField }) => string;

/** Credentials that never leave the process: provider and Langfuse keys, AWS keys, bearer tokens. */
export const BUILT_IN_SECRET_PATTERNS: readonly RegExp[] = [
  /\b(?:sk|pk)-lf-[A-Za-z0-9-]{6,}/g, // Langfuse keys
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{8,}/g, // OpenAI and Anthropic keys
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

/** Object keys whose values are secrets whatever they look like. */
const SECRET_KEYS =
  /^(?:api[-_]?key|x-api-key|authorization|password|passwd|secret|client[-_]?secret|access[-_]?token|refresh[-_]?token|token)$/i;

export const REDACTED = '[REDACTED]';

/**
 * Redacts a value before it is serialised into a span: every string inside it
 * goes through the built-in patterns, the user's patterns and the `mask`
 * hook, and values under secret-looking keys (`apiKey`, `authorization`, …)
 * are replaced whole. Returns a copy; the input is never changed.
 */
export function createRedactor(options: {
  patterns?: readonly RegExp[];
  mask?: MaskFunction;
}): (value: unknown, field: RedactField) => unknown {
  const patterns = [...BUILT_IN_SECRET_PATTERNS, ...(options.patterns ?? [])].map(
    (pattern) =>
      new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`),
  );
  const redactString = (text: string, field: RedactField) => {
    let out = text;
    for (const pattern of patterns) out = out.replace(pattern, REDACTED);
    return options.mask ? options.mask(out, { field }) : out;
  };
  const walk = (value: unknown, field: RedactField, depth: number): unknown => {
    if (typeof value === 'string') return redactString(value, field);
    if (value == null || typeof value !== 'object' || depth > 32) return value;
    if (Array.isArray(value)) return value.map((item) => walk(item, field, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEYS.test(key) && inner != null ? REDACTED : walk(inner, field, depth + 1);
    }
    return out;
  };
  return (value, field) => walk(value, field, 0);
}
