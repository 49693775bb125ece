// Known vendor prefixes say which kind of key it is and are not secret (OpenAI, Anthropic,
// Langfuse). Only these: the start of a user-made token is as secret as the rest.
const VENDOR_PREFIX = /^(?:sk-ant-|sk-proj-|sk-lf-|pk-lf-|sk-)/;
// Below this length the last four characters would be too large a share of the secret.
const MIN_LENGTH_TO_HINT = 16;

/**
 * A secret as a report (`switchboard doctor`, `/api/config`) may show it: its vendor prefix and last four
 * characters (`sk-…abcd`), enough to tell two keys apart, never enough to use
 * one. Short secrets show as `…` only.
 */
export function maskSecret(secret: string): string {
  if (secret.length < MIN_LENGTH_TO_HINT) return '…';
  const prefix = VENDOR_PREFIX.exec(secret)?.[0] ?? '';
  return `${prefix}…${secret.slice(-4)}`;
}
