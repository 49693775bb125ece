import { readFileSync } from 'node:fs';
import { SwitchboardError } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { AgentCoreError, CORE_ERROR_CODES } from './agent-core-error.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('AgentCoreError', () => {
  it('every code is prefixed CORE_ and documented in the README Errors table', () => {
    for (const code of Object.keys(CORE_ERROR_CODES)) {
      expect(code).toMatch(/^CORE_[A-Z_]+$/);
      expect(readme).toMatch(new RegExp(`^\\|\\s*\`${code}\`\\s*\\|`, 'm'));
    }
  });

  it('is a SwitchboardError with a hint in its details', () => {
    const error = new AgentCoreError({
      code: 'CORE_UNKNOWN_TOOL',
      message: 'No tool x',
      hint: 'Use one of: a, b',
    });
    expect(SwitchboardError.isInstance(error)).toBe(true);
    expect(error.toJSON()).toEqual({
      code: 'CORE_UNKNOWN_TOOL',
      message: 'No tool x. Use one of: a, b',
      retryable: false,
      details: { hint: 'Use one of: a, b' },
    });
  });

  it('ends its message with the hint, once, so a surface that shows only the message still helps', () => {
    const hinted = (message: string) =>
      new AgentCoreError({ code: 'CORE_NO_MODEL', message, hint: 'Pass a model.' }).message;
    expect(hinted('No model.')).toBe('No model. Pass a model.');
    expect(hinted('No model')).toBe('No model. Pass a model.');
    expect(hinted('No model. Pass a model.')).toBe('No model. Pass a model.');
    expect(hinted('2 problems:\n- a\n- b')).toBe('2 problems:\n- a\n- b\nPass a model.');
    expect(new AgentCoreError({ code: 'CORE_NO_MODEL', message: 'No model.' }).message).toBe(
      'No model.',
    );
  });
});
