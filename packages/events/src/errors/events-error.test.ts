import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENTS_ERROR_CODES, EventsError } from './events-error.js';
import { SwitchboardError, toSwitchboardError } from './switchboard-error.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('errors', () => {
  it('every code is prefixed, unique and documented in the README Errors table', () => {
    const codes = Object.keys(EVENTS_ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(code).toMatch(/^EVENTS_[A-Z_]+$/);
      expect(readme).toMatch(new RegExp(`^\\|\\s*\`${code}\`\\s*\\|`, 'm'));
    }
  });

  it('recognises errors across copies via the marker, and serialises without cause or stack', () => {
    const error = new EventsError({
      code: 'EVENTS_SEQ_CONFLICT',
      message: 'nope',
      details: { seq: 3 },
      cause: new Error('secret internals'),
    });
    expect(SwitchboardError.isInstance(error)).toBe(true);
    expect(SwitchboardError.isInstance(new Error('x'))).toBe(false);
    expect(SwitchboardError.isInstance(null)).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'EVENTS_SEQ_CONFLICT',
      message: 'nope',
      retryable: false,
      details: { seq: 3 },
    });
    expect(error.name).toBe('EventsError');
  });

  it('normalises unknown throwables under a fallback code', () => {
    const wrapped = toSwitchboardError(new TypeError('bad'), 'EVENTS_SINK_FAILED');
    expect(wrapped).toMatchObject({ code: 'EVENTS_SINK_FAILED', message: 'bad' });
    expect(toSwitchboardError('plain', 'X_Y').message).toBe('plain');
    const original = new EventsError({ code: 'EVENTS_CLOSED', message: 'closed' });
    expect(toSwitchboardError(original, 'X_Y')).toBe(original);
  });
});
