const PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{6,}/g, // OpenAI-style keys (sk-, sk-proj-, sk-ant-)
  /\bBearer\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  /\b(api[_-]?key|x-api-key|token|secret|password)(["'\s:=]+)([^\s"'&,}]{4,})/gi,
];

/**
 * Removes credentials from text bound for errors, events, logs and traces:
 * OpenAI/Anthropic-style keys, bearer tokens, `api_key=` style pairs, and any
 * extra literal secrets (the configured keys themselves).
 */
export function redactSecrets(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets)
    if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  out = out.replace(PATTERNS[0]!, '[REDACTED]');
  out = out.replace(PATTERNS[1]!, 'Bearer [REDACTED]');
  out = out.replace(
    PATTERNS[2]!,
    (_match, name: string, separator: string) => `${name}${separator}[REDACTED]`,
  );
  return out;
}
