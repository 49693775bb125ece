import { CORE_ERROR_CODES } from '@switchboard/agent-core';
import { createRedactor, EVENTS_ERROR_CODES, EventsError } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { FOREIGN_CODE_STATUS, statusOfCode, statusOfError } from './http-status.js';
import { toErrorResponse } from './to-error-body.js';
import { WEBUI_ERROR_CODES, WebuiServerError } from './webui-server-error.js';

describe('error codes and HTTP statuses', () => {
  it('maps only codes agent-core really has (a renamed code fails here)', () => {
    for (const code of Object.keys(FOREIGN_CODE_STATUS))
      expect(Object.keys(CORE_ERROR_CODES)).toContain(code);
  });

  it.each([
    ['CORE_INVALID_INPUT', 400],
    ['CORE_MODEL_NOT_ALLOWED', 400],
    ['CORE_SESSION_NOT_FOUND', 404],
    ['CORE_SESSION_LOCKED', 409],
    ['CORE_SESSION_BUSY', 409],
    ['CORE_SESSION_AWAITING_INPUT', 409],
    ['CORE_NO_MODEL', 503],
    ['CORE_SESSION_STORE_FAILED', 500],
    ['WEBUI_FORBIDDEN_HOST', 421],
    ['WEBUI_UNSUPPORTED_MEDIA_TYPE', 415],
    ['WEBUI_INSECURE_BIND', 500],
  ])('%s → %i', (code, status) => {
    expect(statusOfCode(code)).toBe(status);
  });

  it('EVENTS_INVALID_CURSOR is 400 when malformed and 409 beyond the head', () => {
    expect(EVENTS_ERROR_CODES.EVENTS_INVALID_CURSOR).toBeDefined();
    const error = (reason: string) =>
      new EventsError({ code: 'EVENTS_INVALID_CURSOR', message: 'x', details: { reason } });
    expect(statusOfError(error('malformed'))).toBe(400);
    expect(statusOfError(error('beyond-head'))).toBe(409);
  });

  it('every WEBUI code is prefixed and has a status or is a start-up error', () => {
    for (const [code, { status, meaning }] of Object.entries(WEBUI_ERROR_CODES)) {
      expect(code).toMatch(/^WEBUI_[A-Z_]+$/);
      expect(meaning.length).toBeGreaterThan(0);
      expect(status === 0 || (status >= 400 && status < 600)).toBe(true);
    }
    const error = new WebuiServerError({ code: 'WEBUI_NO_MODEL', message: 'm', hint: 'h' });
    expect(error.status).toBe(503);
    expect(error.toJSON()).toMatchObject({ code: 'WEBUI_NO_MODEL', details: { hint: 'h' } });
  });
});

describe('toErrorResponse: what is logged as a failure', () => {
  const redactor = createRedactor();
  it('a 503 state (shutting down, no model) is not internal; a real 500 is', () => {
    for (const code of ['WEBUI_SHUTTING_DOWN', 'WEBUI_NO_MODEL'] as const) {
      const response = toErrorResponse(new WebuiServerError({ code, message: 'x' }), redactor);
      expect(response).toMatchObject({ status: 503, internal: false });
    }
    expect(toErrorResponse(new Error('boom'), redactor)).toMatchObject({
      status: 500,
      internal: true,
      body: { error: { code: 'WEBUI_INTERNAL' } },
    });
  });
});
