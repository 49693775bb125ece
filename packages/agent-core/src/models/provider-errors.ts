import { APICallError } from '@ai-sdk/provider';
import { createRedactor, SwitchboardError, type Redactor } from '@switchboard/events';
import { AgentCoreError, type CoreErrorCode } from '../errors/agent-core-error.js';

const HINTS: Partial<Record<CoreErrorCode, string>> = {
  CORE_PROVIDER_QUOTA:
    'Check the billing and quota of the provider account, or configure a fallback model.',
  CORE_PROVIDER_RATE_LIMIT:
    'Wait and retry, lower the request rate, or configure a fallback model.',
  CORE_PROVIDER_AUTH: 'Check the API key (and that it belongs to this provider and project).',
  CORE_MODEL_NOT_FOUND: 'Check the model name, and that your account has access to it.',
  CORE_CONTEXT_LENGTH:
    'Shorten the conversation (reset or compaction) or use a model with a larger context window.',
  CORE_PROVIDER_NO_RESPONSE: 'Check the base URL and the network, and that the server is running.',
  CORE_PROVIDER_EMPTY_RESPONSE:
    'Send the message again; if it keeps happening, check the model name and the provider (a proxy or a filter may swallow the answer).',
  CORE_PROVIDER_UNAVAILABLE:
    'The provider is having trouble; retry later or configure a fallback model.',
};

/**
 * Classifies any provider failure into an AgentCoreError with a stable code,
 * a user-facing hint and `retryable`. Neither the message nor the kept cause
 * carries credentials: both go through `secrets` (the agent's redactor, or
 * literal keys added to the shared patterns), response body included, since
 * providers echo the key they rejected.
 */
export function classifyProviderError(
  error: unknown,
  secrets: readonly string[] | Redactor = [],
): AgentCoreError {
  if (error instanceof AgentCoreError) return error;
  const redactor = 'text' in secrets ? secrets : createRedactor({ secrets: [...secrets] });
  if (SwitchboardError.isInstance(error)) {
    return new AgentCoreError({
      code: 'CORE_PROVIDER_ERROR',
      message: redactor.text(error.message),
      cause: redactCause(error, redactor),
    });
  }
  const status = APICallError.isInstance(error) ? error.statusCode : undefined;
  const body = APICallError.isInstance(error) ? (error.responseBody ?? '') : '';
  const raw = `${(error as Error)?.message ?? String(error)} ${body}`;
  const text = raw.toLowerCase();
  const code = codeFor(status, text, error);
  const message = redactor.text(
    `${status ? `HTTP ${status}: ` : ''}${(error as Error)?.message ?? String(error)}`,
  );
  return new AgentCoreError({
    code,
    message,
    retryable:
      code === 'CORE_PROVIDER_RATE_LIMIT' ||
      code === 'CORE_PROVIDER_UNAVAILABLE' ||
      code === 'CORE_PROVIDER_NO_RESPONSE',
    ...(HINTS[code] ? { hint: HINTS[code] } : {}),
    details: { ...(status ? { status } : {}) },
    cause: redactCause(error, redactor),
  });
}

/**
 * A copy of a provider error fit to be logged: message, URL, response body,
 * headers and request values redacted, down the cause chain. The original is
 * dropped, since `console.error(error)` prints every field of every cause.
 */
function redactCause(error: unknown, redactor: Redactor, depth = 0): unknown {
  if (depth > 4) return undefined;
  if (typeof error === 'string') return redactor.text(error);
  if (!(error instanceof Error)) return error == null ? error : redactor.value(error);
  const cause = redactCause(error.cause, redactor, depth + 1);
  if (APICallError.isInstance(error)) {
    return new APICallError({
      message: redactor.text(error.message),
      url: redactor.text(error.url),
      requestBodyValues: redactor.value(error.requestBodyValues),
      isRetryable: error.isRetryable,
      ...(error.statusCode === undefined ? {} : { statusCode: error.statusCode }),
      ...(error.responseHeaders === undefined
        ? {}
        : { responseHeaders: redactor.value(error.responseHeaders) as Record<string, string> }),
      ...(error.responseBody === undefined
        ? {}
        : { responseBody: redactor.text(error.responseBody) }),
      ...(error.data === undefined ? {} : { data: redactor.value(error.data) }),
      ...(cause === undefined ? {} : { cause }),
    });
  }
  const copy = new Error(redactor.text(error.message), cause === undefined ? {} : { cause });
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}

function codeFor(status: number | undefined, text: string, error: unknown): CoreErrorCode {
  // Before the 429 check: providers send quota exhaustion as a 429 too, and
  // waiting and retrying never fixes it.
  if (status === 402 || QUOTA_PATTERNS.some((pattern) => pattern.test(text)))
    return 'CORE_PROVIDER_QUOTA';
  if (status === 429) return 'CORE_PROVIDER_RATE_LIMIT';
  if (status === 401 || status === 403) return 'CORE_PROVIDER_AUTH';
  if (status === 404 || text.includes('model_not_found') || text.includes('does not exist'))
    return 'CORE_MODEL_NOT_FOUND';
  if (
    text.includes('context_length') ||
    text.includes('maximum context length') ||
    text.includes('prompt is too long') ||
    text.includes('context window')
  ) {
    return 'CORE_CONTEXT_LENGTH';
  }
  if (status !== undefined && status >= 500) return 'CORE_PROVIDER_UNAVAILABLE';
  // A connection that failed or broke: before an HTTP status, or mid-body of
  // a 200 (the SDK then reports "Failed to process successful response").
  if (
    (status === undefined || status < 400) &&
    (isNetworkFailure(error) || text.includes('no response'))
  ) {
    return 'CORE_PROVIDER_NO_RESPONSE';
  }
  return 'CORE_PROVIDER_ERROR';
}

/** Wordings of an exhausted quota or credit (lower-cased text), whatever the status. */
const QUOTA_PATTERNS = [
  /insufficient[_ ]quota/,
  /billing/,
  /credit balance/,
  /insufficient (?:credits?|funds|balance)/,
  /out of credits?/,
  /(?:exceeded|reached) your (?:current )?(?:quota|plan limit|usage limit|spending limit)/,
  /plan limit/,
];

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  // DNS: the host does not exist, or the resolver could not answer.
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const NETWORK_MESSAGES = [
  'fetch failed',
  'cannot connect to api',
  'terminated',
  'socket hang up',
  'other side closed',
];

/** Walks the cause chain for a refused, reset or dropped connection, or a host that does not resolve. */
function isNetworkFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current != null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (
      typeof message === 'string' &&
      NETWORK_MESSAGES.some((text) => message.toLowerCase().includes(text))
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The failure of a run whose first model answer was empty (no text, no
 * reasoning, no tool call): shown as an error rather than passed off as a
 * silent, successful reply.
 */
export function emptyResponseError(model: string): AgentCoreError {
  return new AgentCoreError({
    code: 'CORE_PROVIDER_EMPTY_RESPONSE',
    message: `The model ${model} answered with nothing (no text, no tool call).`,
    hint: HINTS.CORE_PROVIDER_EMPTY_RESPONSE!,
    retryable: true,
  });
}
