import { readFileSync } from 'node:fs';
import { SwitchboardError } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import {
  isConnectionError,
  PG_ERROR_CODES,
  PostgresError,
  toPostgresError,
} from './postgres-error.js';

describe('PostgresError', () => {
  it('every code is PG_-prefixed and has a row in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(PG_ERROR_CODES)) {
      expect(code).toMatch(/^PG_[A-Z_]+$/);
      expect(readme).toContain(`| \`${code}\``);
    }
  });

  it('classifies lost connections as retryable PG_CONNECTION_LOST, the rest as PG_QUERY_FAILED', () => {
    const shutdown = Object.assign(
      new Error('terminating connection due to administrator command'),
      { code: '57P01' },
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const syntax = Object.assign(new Error('syntax error'), { code: '42601' });
    expect(isConnectionError(shutdown)).toBe(true);
    expect(isConnectionError(refused)).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(syntax)).toBe(false);
    expect(toPostgresError(shutdown, 'read')).toMatchObject({
      code: 'PG_CONNECTION_LOST',
      retryable: true,
    });
    const failed = toPostgresError(syntax, 'read');
    expect(failed).toBeInstanceOf(PostgresError);
    expect(SwitchboardError.isInstance(failed)).toBe(true);
    expect(failed).toMatchObject({
      code: 'PG_QUERY_FAILED',
      retryable: false,
      details: { sqlState: '42601' },
    });
  });
});
