/**
 * Characters per token of the estimates (compaction's trigger, the live
 * meter). A rule of thumb for English text and JSON with the common
 * tokenizers, not a count: it is off for other languages, code and images,
 * which is why every number derived from it is marked as an estimate.
 */
export const CHARS_PER_TOKEN = 4;

/** Estimated tokens of `chars` characters of text. */
export function tokensOfChars(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** Estimated tokens of a prompt: its JSON's characters / 4. Good enough to decide when to compact. */
export function estimateTokens(value: unknown): number {
  return tokensOfChars(JSON.stringify(value).length);
}
