import { readFileSync } from 'node:fs';
import { SwitchboardError } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { TRACING_ERROR_CODES, TracingError } from './tracing-error.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('TracingError', () => {
  it('every code is prefixed TRACING_ and documented in the README Errors table', () => {
    for (const code of Object.keys(TRACING_ERROR_CODES)) {
      expect(code).toMatch(/^TRACING_[A-Z_]+$/);
      expect(readme).toMatch(new RegExp(`^\\|\\s*\`${code}\`\\s*\\|`, 'm'));
    }
  });

  it('is a SwitchboardError', () => {
    const error = new TracingError({ code: 'TRACING_EXPORT_FAILED', message: 'down' });
    expect(SwitchboardError.isInstance(error)).toBe(true);
    expect(error.toJSON()).toEqual({
      code: 'TRACING_EXPORT_FAILED',
      message: 'down',
      retryable: false,
    });
  });
});
