/** Marker appended to a value cut at the size limit. */
export const truncationMarker = (dropped: number) => `…[truncated ${dropped} chars]`;

/**
 * Serialises a value for a span attribute (strings as they are, anything
 * else as JSON) and cuts it to `maxChars` with a visible marker, never
 * splitting a surrogate pair. Truncating after serialisation bounds objects
 * too, not only strings.
 */
export function serializeForSpan(value: unknown, maxChars: number): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = '<unserializable>';
    }
  }
  if (text.length <= maxChars) return text;
  let cut = maxChars;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // keep a surrogate pair whole
  return `${text.slice(0, cut)}${truncationMarker(text.length - cut)}`;
}
