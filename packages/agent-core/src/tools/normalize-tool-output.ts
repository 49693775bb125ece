/** Output that can go to the model, or why it cannot. */
export type NormalizedToolOutput =
  | { ok: true; output: unknown; truncated?: { originalBytes: number; keptBytes: number } }
  | { ok: false; message: string };

/**
 * Makes a tool's return value safe to send and store: `undefined` becomes
 * `null`, strings stay strings, anything else goes through a JSON round trip
 * (so class instances become plain data and `Date`s strings). Output longer
 * than `maxChars` becomes its first `maxChars` characters plus a visible
 * marker, because a silent cut would let the model believe it saw everything.
 */
export function normalizeToolOutput(value: unknown, maxChars: number): NormalizedToolOutput {
  if (value === undefined) return { ok: true, output: null };
  if (typeof value === 'string') return truncateText(value, maxChars);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    return {
      ok: false,
      message: `Tool output is not JSON-serialisable: ${(error as Error).message}`,
    };
  }
  // JSON.stringify returns undefined for functions and symbols.
  if (text === undefined)
    return { ok: false, message: `Tool output is not JSON-serialisable: got a ${typeof value}.` };
  if (text.length > maxChars) return truncateText(text, maxChars);
  return { ok: true, output: JSON.parse(text) as unknown };
}

/** Cuts `text` to `maxChars` characters with a marker; sizes reported in UTF-8 bytes. */
export function truncateText(
  text: string,
  maxChars: number,
): Extract<NormalizedToolOutput, { ok: true }> & { output: string } {
  if (text.length <= maxChars) return { ok: true, output: text };
  let end = maxChars;
  // Never split a surrogate pair: half an emoji is invalid UTF-16 and some providers reject it.
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  const kept = text.slice(0, end);
  return {
    ok: true,
    output: `${kept}\n\n[Output truncated: showing the first ${kept.length} of ${text.length} characters.]`,
    truncated: {
      originalBytes: Buffer.byteLength(text, 'utf8'),
      keptBytes: Buffer.byteLength(kept, 'utf8'),
    },
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
