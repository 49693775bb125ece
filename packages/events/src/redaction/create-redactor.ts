import { z } from 'zod';
import { parseEventsOptions } from '../errors/events-error.js';
import { isSecretKey, normaliseKey } from './secret-keys.js';
import { BUILT_IN_SECRET_PATTERNS, REDACTED } from './secret-patterns.js';

/** Literal secrets shorter than this are ignored: replacing `ollama` everywhere would destroy text; real keys are longer. */
const MIN_SECRET_LENGTH = 8;

/** Options of {@link createRedactor}, parsed once. */
export const redactorOptionsSchema = z.object({
  /**
   * Extra patterns, applied after the built-in ones. Named groups `prefix`
   * and `suffix` are kept around the replacement. They must run in linear
   * time themselves (no nested quantifiers over overlapping characters).
   */
  patterns: z.array(z.instanceof(RegExp)).default([]),
  /**
   * Literal secrets (the configured API keys) replaced wherever they appear,
   * whatever they look like. Values shorter than 8 characters are ignored.
   */
  secrets: z.array(z.string().optional()).default([]),
  /** Extra object keys whose values are secrets (compared after normalising to snake_case). */
  secretKeys: z.array(z.string().min(1)).default([]),
  /**
   * Objects nested deeper than this are replaced by a marker instead of being
   * walked (never returned unredacted). @default 64
   */
  maxDepth: z.number().int().positive().default(64),
  /** Runs on every string after the patterns (e.g. to mask names). */
  mask: z
    .custom<(text: string) => string>((value) => typeof value === 'function', {
      message: 'expected a function (text) => text',
    })
    .optional(),
});

/** What you pass to {@link createRedactor}. */
export type RedactorOptions = z.input<typeof redactorOptionsSchema>;

/** Removes secrets from text and from values. Returns copies; never changes its input. */
export interface Redactor {
  /** The text with every configured secret and secret pattern replaced by `[REDACTED]`. */
  text(text: string): string;
  /**
   * A redacted copy of a JSON-like value: every string (keys included) goes
   * through {@link Redactor.text}, values under secret-named keys
   * (`apiKey`, `authorization`, `cookie`, …) are replaced whole, cycles
   * become `[Circular]` and anything nested deeper than `maxDepth` becomes
   * a marker.
   */
  value(value: unknown): unknown;
}

/**
 * Creates the one redactor every package uses: the built-in patterns
 * (provider, cloud and VCS keys, JWTs, PEM private keys, bearer tokens,
 * `password=` pairs, URL passwords) plus the caller's patterns, literal
 * secrets and secret key names. Linear in the input's size.
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const resolved = parseEventsOptions(redactorOptionsSchema, options);
  const patterns = [...BUILT_IN_SECRET_PATTERNS, ...resolved.patterns.map(globalCopy)];
  // Longest first, so a secret that contains another is replaced whole.
  const secrets = [
    ...new Set(
      resolved.secrets.filter(
        (secret): secret is string =>
          secret !== undefined && secret.trim().length >= MIN_SECRET_LENGTH,
      ),
    ),
  ].sort((a, b) => b.length - a.length);
  const secretKeys = new Set(resolved.secretKeys.map(normaliseKey));
  const { maxDepth, mask } = resolved;

  const text = (input: string): string => {
    let out = input;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const pattern of patterns) out = out.replace(pattern, replaceMatch);
    return mask ? mask(out) : out;
  };

  const walk = (input: unknown, depth: number, path: Set<object>): unknown => {
    if (typeof input === 'string') return text(input);
    if (typeof input !== 'object' || input == null || input instanceof Date) return input;
    if (path.has(input)) return '[Circular]';
    if (depth >= maxDepth) return `[REDACTED: nested deeper than ${maxDepth} levels]`;
    path.add(input);
    try {
      if (Array.isArray(input)) return input.map((item) => walk(item, depth + 1, path));
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(input)) {
        out[text(key)] =
          inner != null && isSecretKey(key, secretKeys) ? REDACTED : walk(inner, depth + 1, path);
      }
      return out;
    } finally {
      path.delete(input);
    }
  };

  return { text, value: (input) => walk(input, 0, new Set()) };
}

/** A caller's pattern with the `g` flag (and without `y`), so `replace` takes every match. */
function globalCopy(pattern: RegExp): RegExp {
  const flags = pattern.flags.replace('y', '');
  return new RegExp(pattern.source, flags.includes('g') ? flags : `${flags}g`);
}

/** Keeps the `prefix` and `suffix` groups of a match and replaces the rest. */
function replaceMatch(...args: unknown[]): string {
  const groups = args.at(-1);
  if (typeof groups !== 'object' || groups == null) return REDACTED;
  const { prefix, suffix } = groups as { prefix?: string; suffix?: string };
  return `${prefix ?? ''}${REDACTED}${suffix ?? ''}`;
}
