import { APICallError } from '@ai-sdk/provider';
import { inspect } from 'node:util';
import { createRedactor } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { classifyProviderError } from './provider-errors.js';
import { redactSecrets } from './redact-secrets.js';

const apiError = (statusCode: number, responseBody = '', headers: Record<string, string> = {}) =>
  new APICallError({
    message: `status ${statusCode}`,
    url: 'http://127.0.0.1/v1/chat/completions',
    requestBodyValues: {},
    statusCode,
    responseBody,
    responseHeaders: headers,
  });

describe('classifyProviderError (inventory T20: the error classification table)', () => {
  it.each([
    [apiError(429, '{"error":{"code":"insufficient_quota"}}'), 'CORE_PROVIDER_QUOTA', false],
    [apiError(402), 'CORE_PROVIDER_QUOTA', false],
    [apiError(429, 'slow down'), 'CORE_PROVIDER_RATE_LIMIT', true],
    [apiError(401), 'CORE_PROVIDER_AUTH', false],
    [apiError(403), 'CORE_PROVIDER_AUTH', false],
    [apiError(404, '{"error":{"code":"model_not_found"}}'), 'CORE_MODEL_NOT_FOUND', false],
    [
      apiError(400, "This model's maximum context length is 8192 tokens"),
      'CORE_CONTEXT_LENGTH',
      false,
    ],
    [apiError(400, 'prompt is too long: 210000 tokens'), 'CORE_CONTEXT_LENGTH', false],
    [apiError(503), 'CORE_PROVIDER_UNAVAILABLE', true],
    [apiError(500), 'CORE_PROVIDER_UNAVAILABLE', true],
    [
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
      'CORE_PROVIDER_NO_RESPONSE',
      true,
    ],
    [
      // What @ai-sdk/provider-utils throws when fetch cannot reach the host.
      new APICallError({
        message: 'Cannot connect to API: getaddrinfo ENOTFOUND api.example.invalid',
        url: 'http://api.example.invalid/v1/chat/completions',
        requestBodyValues: {},
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.example.invalid'), {
          code: 'ENOTFOUND',
        }),
        isRetryable: true,
      }),
      'CORE_PROVIDER_NO_RESPONSE',
      true,
    ],
    [
      Object.assign(new Error('getaddrinfo EAI_AGAIN api.example.invalid'), { code: 'EAI_AGAIN' }),
      'CORE_PROVIDER_NO_RESPONSE',
      true,
    ],
    [
      new Error('The stream ended before any content (no response).'),
      'CORE_PROVIDER_NO_RESPONSE',
      true,
    ],
    [apiError(400, 'bad request'), 'CORE_PROVIDER_ERROR', false],
    // The seed inventory's T20 table, in our codes.
    [apiError(429, 'Insufficient credits for this request (429)'), 'CORE_PROVIDER_QUOTA', false],
    [apiError(403, 'You have reached your plan limit'), 'CORE_PROVIDER_QUOTA', false],
    [apiError(429, 'You exceeded your current quota'), 'CORE_PROVIDER_QUOTA', false],
    [apiError(401, 'Unauthorized'), 'CORE_PROVIDER_AUTH', false],
    [apiError(400, '{"error":{"code":"model_not_found"}}'), 'CORE_MODEL_NOT_FOUND', false],
    [apiError(429, 'Too Many Requests'), 'CORE_PROVIDER_RATE_LIMIT', true],
    [new Error('boom'), 'CORE_PROVIDER_ERROR', false],
    [apiError(404, '<html><h1>404 page not found</h1></html>'), 'CORE_MODEL_NOT_FOUND', false],
  ])('%s → %s', (error, code, retryable) => {
    const classified = classifyProviderError(error);
    expect(classified.code).toBe(code);
    expect(classified.retryable).toBe(retryable);
    if (code !== 'CORE_PROVIDER_ERROR') {
      expect(classified.hint).toBeTruthy();
      expect(classified.message.endsWith(classified.hint!)).toBe(true);
    }
  });

  it('keeps the HTTP status and redacts keys from the message', () => {
    const error = apiError(401, 'Incorrect API key provided: sk-proj-abcdefghijkl');
    error.message = 'Incorrect API key provided: sk-proj-abcdefghijkl';
    const classified = classifyProviderError(error, ['my-literal-secret']);
    expect(classified.details).toMatchObject({ status: 401 });
    expect(classified.message).toContain('[REDACTED]');
    expect(classified.message).not.toContain('abcdefghijkl');
  });
});

describe('classifyProviderError with configured secrets', () => {
  const KEY = 'cfg-key-0123456789abcdef';
  const AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

  it('keeps a key the provider echoes out of the message and the whole cause chain', () => {
    const body = JSON.stringify({
      error: { message: `Incorrect API key: ${KEY} (${AWS_KEY_ID})` },
    });
    const error = new APICallError({
      message: `Incorrect API key: ${KEY} (${AWS_KEY_ID})`,
      url: `http://127.0.0.1/v1/chat/completions?key=${KEY}`,
      requestBodyValues: { note: KEY },
      statusCode: 401,
      responseBody: body,
      responseHeaders: { 'x-echo': KEY },
      cause: new Error(`inner ${KEY}`),
    });
    const classified = classifyProviderError(error, createRedactor({ secrets: [KEY] }));
    expect(classified.code).toBe('CORE_PROVIDER_AUTH');
    const everything = [
      classified.message,
      JSON.stringify(classified),
      inspect(classified, { depth: 10, showHidden: true }),
    ].join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(AWS_KEY_ID);
    // The cause is still an APICallError with its status, for debugging.
    expect(APICallError.isInstance(classified.cause)).toBe(true);
    expect((classified.cause as APICallError).statusCode).toBe(401);
    expect((classified.cause as APICallError).responseBody).toContain('[REDACTED]');
  });
});

describe('redactSecrets', () => {
  it('removes provider keys, bearer tokens, key=value pairs and literal secrets', () => {
    const text = [
      'key sk-ant-api03-AAAAAAAAAAAA',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc',
      'url?api_key=abcd1234&x=1',
      '{"token": "tok_live_999999"}',
      'custom hunter2-secret',
    ].join('\n');
    const out = redactSecrets(text, ['hunter2-secret']);
    for (const secret of [
      'AAAAAAAAAAAA',
      'eyJhbGciOiJIUzI1NiJ9',
      'abcd1234',
      'tok_live_999999',
      'hunter2',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('Bearer [REDACTED]');
    expect(out).toContain('api_key=[REDACTED]');
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('The task is done; see sketch-1.png')).toBe(
      'The task is done; see sketch-1.png',
    );
  });
});
