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

/** What a redacted secret is replaced with. */
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
  // One alternation, one pass per string. Case-insensitive patterns are
  // expanded (`a` → `[aA]`) so the combined pattern needs no `i` flag.
  const combined = new RegExp(
    [...BUILT_IN_SECRET_PATTERNS, ...(options.patterns ?? [])]
      .map(
        (pattern) =>
          `(?:${pattern.flags.includes('i') ? caseInsensitive(pattern.source) : pattern.source})`,
      )
      .join('|'),
    'g',
  );
  const redactString = (text: string, field: RedactField) => {
    const out = text.replace(combined, REDACTED);
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

/** `abc` → `[aA][bB][cC]` outside escapes and classes: case-insensitivity without the `i` flag. */
function caseInsensitive(source: string): string {
  let out = '';
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const char = source[index]!;
    if (char === '\\') {
      out += char + (source[index + 1] ?? '');
      index += 1;
    } else if (char === '[') {
      inClass = true;
      out += char;
    } else if (char === ']') {
      inClass = false;
      out += char;
    } else if (!inClass && /[a-z]/i.test(char)) {
      out += `[${char.toLowerCase()}${char.toUpperCase()}]`;
    } else {
      out += char;
    }
  }
  return out;
}
