import type { EventDraft } from '../schema/agent-event.js';
import type { Truncation } from '../schema/shared-schemas.js';

/** Default largest serialised event the bus stores and publishes, in UTF-8 bytes: 4 MiB. */
export const DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;

/**
 * Bytes the bus adds to a draft when stamping (`v`, `seq`, `ts`) plus room for
 * the truncation marker; generous so a measured draft never ends up over.
 */
const STAMP_ALLOWANCE = 256;
/** A truncated string keeps at least this many characters, so it stays recognisable. */
const MIN_KEPT_CHARS = 1024;
/** Largest number of strings cut before an event counts as impossible to shrink. */
const MAX_CUTS = 64;

/** The `meta` key that marks a truncated event: a {@link Truncation} plus the paths cut. */
export const TRUNCATION_META_KEY = 'switchboard.truncated';

/** What {@link fitEventSize} decided. */
export type FitResult<D extends EventDraft> =
  | { kind: 'fits'; draft: D }
  | {
      kind: 'truncated';
      draft: D;
      originalBytes: number;
      keptBytes: number;
      paths: string[];
    }
  | { kind: 'too-large'; bytes: number };

/**
 * Makes a draft fit `maxBytes` once serialised. Small events are waved through
 * by a cheap upper bound (no serialisation). A large one has its longest
 * strings in `data` cut (largest first) until it fits, and is marked with
 * `meta['switchboard.truncated']` (and `data.truncated` on
 * `tool_call.completed`, whose contract has that field). An event whose bulk
 * is not in long strings cannot be shrunk and is `too-large`. A draft that
 * cannot be serialised at all is waved through: the log reports that.
 */
export function fitEventSize<D extends EventDraft>(draft: D, maxBytes: number): FitResult<D> {
  const budget = maxBytes - STAMP_ALLOWANCE;
  if (upperBoundBytes(draft, budget, 0) <= budget) return { kind: 'fits', draft };
  const originalBytes = serialisedBytes(draft);
  if (originalBytes === undefined || originalBytes <= budget) return { kind: 'fits', draft };
  // Only the slow path copies: the caller's draft is never changed.
  const data = JSON.parse(JSON.stringify(draft.data)) as Record<string, unknown>;
  const meta: Record<string, unknown> = { ...draft.meta };
  const copy: D = { ...draft, data, meta };
  const leaves = stringLeaves(data, 'data');
  const paths: string[] = [];
  let bytes = originalBytes;
  for (let cuts = 0; bytes > budget && cuts < MAX_CUTS; cuts++) {
    leaves.sort((a, b) => b.value.length - a.value.length);
    const longest = leaves[0];
    if (!longest || longest.value.length <= MIN_KEPT_CHARS) break;
    // Every character is at least one byte, so cutting `excess` characters removes at least `excess` bytes.
    const excess = bytes - budget;
    const keep = safeCut(longest.value, Math.max(MIN_KEPT_CHARS, longest.value.length - excess));
    longest.value = longest.value.slice(0, keep);
    longest.set(longest.value);
    if (!paths.includes(longest.path)) paths.push(longest.path);
    bytes = serialisedBytes(copy) ?? bytes;
  }
  if (bytes > budget) return { kind: 'too-large', bytes: originalBytes };
  const marker: Truncation & { paths: string[] } = { originalBytes, keptBytes: bytes, paths };
  meta[TRUNCATION_META_KEY] = marker;
  if (draft.type === 'tool_call.completed' && data.truncated === undefined) {
    data.truncated = { originalBytes, keptBytes: bytes };
  }
  return { kind: 'truncated', draft: copy, originalBytes, keptBytes: bytes, paths };
}

/**
 * Whether a stamped event whose JSON is `json` fits `maxBytes` under the same
 * budget {@link fitEventSize} applies to drafts. Exact, and free for all but
 * the largest events: UTF-8 takes at most 3 bytes per UTF-16 unit, so only
 * text longer than a third of the budget is measured.
 */
export function fitsSerialised(json: string, maxBytes: number): boolean {
  const budget = maxBytes - STAMP_ALLOWANCE;
  if (json.length * 3 <= budget) return true;
  return json.length <= budget && utf8Length(json) <= budget;
}

/** UTF-8 length of the JSON of `value`, or undefined when it cannot be serialised. */
export function serialisedBytes(value: unknown): number | undefined {
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return undefined;
  }
  return utf8Length(json);
}

function utf8Length(text: string): number {
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 1; // a surrogate pair: 2 UTF-16 units, 4 bytes
      index += 1;
    } else if (code >= 0x800) bytes += 2;
    else if (code >= 0x80) bytes += 1;
  }
  return bytes;
}

/**
 * A cheap upper bound of the serialised size (6 bytes per string character
 * covers `\uXXXX` escapes), stopping as soon as it passes `budget`.
 */
function upperBoundBytes(value: unknown, budget: number, depth: number): number {
  if (typeof value === 'string') return value.length * 6 + 2;
  if (value == null || typeof value !== 'object') return 24;
  if (depth > 64) return Infinity; // measure exactly instead
  let total = 2;
  if (Array.isArray(value)) {
    for (const item of value) {
      total += upperBoundBytes(item, budget, depth + 1) + 1;
      if (total > budget) return total;
    }
    return total;
  }
  for (const key in value) {
    total +=
      key.length * 6 +
      4 +
      upperBoundBytes((value as Record<string, unknown>)[key], budget, depth + 1);
    if (total > budget) return total;
  }
  return total;
}

interface StringLeaf {
  path: string;
  value: string;
  set: (value: string) => void;
}

function stringLeaves(root: unknown, rootPath: string): StringLeaf[] {
  const leaves: StringLeaf[] = [];
  const visit = (node: unknown, path: string) => {
    if (node == null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const child = record[key];
      const childPath = `${path}.${key}`;
      if (typeof child === 'string') {
        leaves.push({ path: childPath, value: child, set: (value) => (record[key] = value) });
      } else visit(child, childPath);
    }
  };
  visit(root, rootPath);
  return leaves;
}

/** `length`, moved back one if it would split a surrogate pair. */
function safeCut(text: string, length: number): number {
  const code = text.charCodeAt(length - 1);
  return code >= 0xd800 && code <= 0xdbff ? length - 1 : length;
}
