import { createRedactor as createSharedRedactor, type Redactor } from '@switchboard/events';

/** The shared pattern list of `@switchboard/events`, re-exported for existing imports. */
export { BUILT_IN_SECRET_PATTERNS } from '@switchboard/events';

/** Where a value is going, so a `mask` hook can treat fields differently. */
export type RedactField =
  'input' | 'output' | 'tool.input' | 'tool.output' | 'generation.output' | 'metadata' | 'error';

/** Replaces secrets in a value; receives every string (already redacted by the patterns). */
export type MaskFunction = (value: string, context: { field: RedactField }) => string;

/**
 * Redacts a value before it is serialised into a span, with the one
 * redactor of `@switchboard/events`: every string inside it goes through the
 * built-in patterns, the user's patterns and the `mask` hook, values under
 * secret-looking keys (`apiKey`, `authorization`, `cookie`, …) are replaced
 * whole, and nothing nested too deep or cyclic is ever passed through
 * unredacted. Returns a copy; the input is never changed.
 */
export function createRedactor(options: {
  patterns?: readonly RegExp[];
  mask?: MaskFunction;
}): (value: unknown, field: RedactField) => unknown {
  const patterns = [...(options.patterns ?? [])];
  const { mask } = options;
  if (!mask) {
    const shared = createSharedRedactor({ patterns });
    return (value) => shared.value(value);
  }
  // The mask sees its field: one shared redactor per field, built on first use.
  const byField = new Map<RedactField, Redactor>();
  return (value, field) => {
    let redactor = byField.get(field);
    if (!redactor) {
      redactor = createSharedRedactor({ patterns, mask: (text) => mask(text, { field }) });
      byField.set(field, redactor);
    }
    return redactor.value(value);
  };
}
