import { SwitchboardError, type SwitchboardErrorInit } from '@switchboard/events';
import { optionsParser } from '@switchboard/events/internal';

/**
 * Every code `@switchboard/postgres` throws or reports. The stores keep the
 * codes of the interfaces they implement for what those interfaces define
 * (`EVENTS_SEQ_CONFLICT`, `EVENTS_STORE_CORRUPT`, `CORE_SESSION_CONFLICT`,
 * `CORE_SESSION_LOCKED`, `CORE_SESSION_CORRUPT`), so callers branch on the
 * same codes whatever the backend; these are the database's own.
 */
export const PG_ERROR_CODES = {
  /** Options passed to a factory failed their schema. */
  PG_INVALID_OPTIONS: 'Options failed validation.',
  /** The server could not be reached or the connection broke; retried with backoff, reported each time. */
  PG_CONNECTION_LOST: 'The connection to PostgreSQL was lost or refused.',
  /** A statement failed for another reason (permissions, a full disk, a bad schema). */
  PG_QUERY_FAILED: 'A PostgreSQL statement failed.',
  /** The schema could not be created or upgraded, or the database is newer than this build. */
  PG_MIGRATION_FAILED: 'The schema migration failed.',
  /** The database, log or store was used after `close`. */
  PG_CLOSED: 'The PostgreSQL database handle is closed.',
} as const;

/** A stable `@switchboard/postgres` error code. */
export type PostgresErrorCode = keyof typeof PG_ERROR_CODES;

/** An error raised by `@switchboard/postgres`; `code` is one of {@link PG_ERROR_CODES}. */
export class PostgresError extends SwitchboardError<PostgresErrorCode> {
  constructor(init: SwitchboardErrorInit<PostgresErrorCode>) {
    super(init);
    this.name = 'PostgresError';
  }
}

/** Parses `@switchboard/postgres` options; failures throw `PG_INVALID_OPTIONS`. */
export const parsePostgresOptions = optionsParser('PG_INVALID_OPTIONS', PostgresError);

/** SQLSTATE classes and socket errors that mean "the connection, not the statement, failed". */
const CONNECTION_SQLSTATE = /^(08|57P0[1-3]|53300)/;
const CONNECTION_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);

/** Whether `error` is a lost or refused connection (worth retrying on a new one). */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error == null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_SQLSTATE.test(code) || CONNECTION_ERRNO.has(code)))
    return true;
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(
      message,
    )
  );
}

/** The SQLSTATE of a driver error, when it has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length === 5 ? code : undefined;
}

/** Wraps a driver failure as `PG_CONNECTION_LOST` or `PG_QUERY_FAILED`, naming what was attempted. */
export function toPostgresError(error: unknown, action: string): PostgresError {
  if (SwitchboardError.isInstance(error) && error instanceof PostgresError) return error;
  const lost = isConnectionError(error);
  const message = (error as Error)?.message ?? String(error);
  const state = sqlState(error);
  return new PostgresError({
    code: lost ? 'PG_CONNECTION_LOST' : 'PG_QUERY_FAILED',
    message: `PostgreSQL: cannot ${action}: ${message}`,
    retryable: lost,
    details: { action, ...(state ? { sqlState: state } : {}) },
    cause: error,
  });
}
