/** What a redacted secret is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Where a token may start: not inside a run of `chars` (so no two attempts
 * rescan one run), or right after a JSON escape (`\n`, `\r`, `\t`), so
 * secrets in serialised text (`"…\nCookie: …"`) are found too.
 */
const start = (chars: string) => String.raw`(?:(?<![${chars}])|(?<=\\[nrt]))`;

/**
 * The built-in secret patterns, applied in this order. A match is replaced
 * with {@link REDACTED}; named groups `prefix` and `suffix`, when a pattern
 * has them, are kept around it (so `password=hunter2` becomes
 * `password=[REDACTED]`).
 *
 * Every pattern is written to run in linear time on any input: each starts
 * only where a lookbehind says a token begins (so no two attempts rescan the
 * same run of characters), and its runs are separated by characters they
 * cannot contain (so a failed attempt cannot backtrack quadratically). Keep
 * that shape when adding one; `redaction.test.ts` feeds each a 1 MB
 * adversarial string.
 */
export const BUILT_IN_SECRET_PATTERNS: readonly RegExp[] = [
  // PEM private keys (RSA, EC, OPENSSH, ENCRYPTED …), whole block; a block cut
  // short (no END line) is redacted to where its base64 body stops. `\\` lets
  // the body run over JSON-escaped newlines (`\n`) in serialised arguments.
  /-----BEGIN (?:[A-Z0-9]+ )?PRIVATE KEY-----[A-Za-z0-9+/=\s\\]*(?:-----END (?:[A-Z0-9]+ )?PRIVATE KEY-----)?/g,
  // JSON Web Tokens: base64url header and payload that both start with `{"`.
  new RegExp(
    String.raw`${start('A-Za-z0-9_-')}eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`,
    'g',
  ),
  // Langfuse keys (before the OpenAI rule, which would also take `sk-lf-`).
  new RegExp(String.raw`${start('A-Za-z0-9_-')}[sp]k-lf-[A-Za-z0-9-]{6,}`, 'g'),
  // OpenAI and Anthropic keys: sk-…, sk-proj-…, sk-ant-api03-….
  new RegExp(String.raw`${start('A-Za-z0-9_-')}sk-[A-Za-z0-9_-]{8,}`, 'g'),
  // AWS access key ids: long-term (AKIA) and temporary (ASIA).
  new RegExp(String.raw`${start('A-Za-z0-9')}(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`, 'g'),
  // GitHub tokens: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained.
  new RegExp(
    String.raw`${start('A-Za-z0-9_')}(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})`,
    'g',
  ),
  // Slack tokens: xoxb-, xoxp-, xoxa-, xoxo-, xoxs-, xoxr-.
  new RegExp(String.raw`${start('A-Za-z0-9-')}xox[abposr]-[A-Za-z0-9-]{10,}`, 'g'),
  // HTTP credentials: `Bearer …`, `Basic …`, `Token …` (the scheme is kept).
  new RegExp(
    String.raw`${start('A-Za-z0-9_')}(?<prefix>(?:[Bb]earer|[Bb]asic|[Tt]oken)\s+)[A-Za-z0-9._~+/=-]{8,}`,
    'g',
  ),
  // URL user info: scheme://user:password@host (the password goes).
  new RegExp(
    String.raw`${start('A-Za-z0-9+.-')}(?<prefix>[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/@:]*:)[^\s/@]+(?<suffix>@)`,
    'g',
  ),
  // Cookie headers: everything up to the end of the line, a quote or a JSON escape.
  new RegExp(
    String.raw`${start('A-Za-z0-9_-')}(?<prefix>(?:[Ss]et-)?[Cc]ookie["']?\s*[:=]\s*["']?)[^\r\n"'\\]+`,
    'g',
  ),
  // key=value and "key": "value" pairs whose key names a secret, in text,
  // query strings, env dumps and JSON (`OPENAI_API_KEY=…`, `?api_key=…`,
  // `"password": "…"`, `aws_secret_access_key = …`). An HTTP scheme as the
  // value (`Authorization: Bearer …`) is left to the rule above.
  new RegExp(
    String.raw`${start('A-Za-z0-9_.-')}(?<prefix>[A-Za-z0-9_.-]*?(?:api[_-]?key|access[_-]?key|private[_-]?key|secret|passw(?:or)?d|pwd|passphrase|token|credentials?|auth(?:orization)?)["']?\s*[:=]\s*["']?)(?!\[REDACTED\]|(?:bearer|basic|token)\s)[^\s"'&,;{}()[\]<>\\]{3,}`,
    'gi',
  ),
];
