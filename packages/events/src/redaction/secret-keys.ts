/**
 * Key names (snake_case after normalising) whose values are secrets whatever
 * they look like. Matched at the end of a key, after `_` or at its start, so
 * `OPENAI_API_KEY`, `x-api-key`, `clientSecret` and `aws_secret_access_key`
 * all count, and `max_tokens` or `author` do not.
 */
const SECRET_KEY =
  /(?:^|_)(?:api_?key|apikey|access_key|private_key|secret|secret_key|client_secret|password|passwd|pwd|passphrase|token|access_token|refresh_token|id_token|auth_token|session_token|auth|authorization|proxy_authorization|cookie|set_cookie|credentials?)$/;

/** Longer keys are not names of anything; skipping them keeps the check cheap. */
const MAX_KEY_LENGTH = 200;

/**
 * Whether an object key names a secret (`apiKey`, `OPENAI_API_KEY`,
 * `authorization`, `cookie`, `private_key`, …). `extra` holds further names,
 * compared after the same normalisation (camelCase and kebab-case to
 * snake_case, lower case).
 */
export function isSecretKey(key: string, extra: ReadonlySet<string> = EMPTY): boolean {
  if (key.length > MAX_KEY_LENGTH) return false;
  const normalised = normaliseKey(key);
  return SECRET_KEY.test(normalised) || extra.has(normalised);
}

/** `clientSecret` / `Client-Secret` / `CLIENT_SECRET` → `client_secret`. */
export function normaliseKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replaceAll('-', '_');
}

const EMPTY: ReadonlySet<string> = new Set();
