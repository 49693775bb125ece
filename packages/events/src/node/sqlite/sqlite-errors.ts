import { EventsError } from '../../errors/events-error.js';
import { SwitchboardError } from '../../errors/switchboard-error.js';
import type { AnyEvent } from '../../schema/agent-event.js';

const sqliteCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_')
    ? code
    : undefined;
};

/**
 * Maps anything a failed SQLite append threw to the error the caller sees:
 * a Switchboard error (the contiguity check) passes through; a primary-key
 * violation means another writer stored those numbers first, so it is
 * `EVENTS_SEQ_CONFLICT` like any other duplicate; everything else (a busy
 * lock, a full disk, an unserialisable event) is `EVENTS_LOG_APPEND_FAILED`
 * with the original as `cause`, retryable when it was lock contention.
 */
export function toSqliteAppendError(
  error: unknown,
  events: readonly AnyEvent[],
  path = '',
): SwitchboardError {
  if (SwitchboardError.isInstance(error)) return error;
  const sessions = [...new Set(events.map((event) => event.sessionId))];
  const code = sqliteCode(error);
  if (isCorruptCode(code)) return storeCorrupt(error, path, `store ${events.length} event(s)`);
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new EventsError({
      code: 'EVENTS_SEQ_CONFLICT',
      message: `Another writer already stored some of these sequence numbers (sessions: ${sessions.join(', ')}).`,
      details: { sessions, sqliteCode: code },
      cause: error,
    });
  }
  const busy = code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(code);
  return new EventsError({
    code: 'EVENTS_LOG_APPEND_FAILED',
    message: `The SQLite event log could not store ${events.length} event(s): ${(error as Error)?.message ?? String(error)}`,
    retryable: busy,
    details: {
      sessions,
      count: events.length,
      ...(code === undefined ? {} : { sqliteCode: code }),
    },
    cause: error,
  });
}

/**
 * Maps a failure to open or prepare the store at `path`: a file that is not
 * a SQLite database (or is damaged) is `EVENTS_STORE_CORRUPT`; a path that
 * cannot be opened (missing directory, no permission) is
 * `EVENTS_INVALID_OPTIONS`. Switchboard errors (a newer schema) pass through.
 */
export function toSqliteOpenError(error: unknown, path: string): SwitchboardError {
  if (SwitchboardError.isInstance(error)) return error;
  const code = sqliteCode(error);
  const reason = (error as Error)?.message ?? String(error);
  const details = { path, ...(code === undefined ? {} : { sqliteCode: code }) };
  if (isCorruptCode(code)) {
    return new EventsError({
      code: 'EVENTS_STORE_CORRUPT',
      message: `The SQLite event store is not a readable database: ${reason}`,
      details,
      cause: error,
    });
  }
  return new EventsError({
    code: 'EVENTS_INVALID_OPTIONS',
    message: `Cannot open the SQLite event store: ${reason}`,
    retryable: code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(code),
    details,
    cause: error,
  });
}

/**
 * Maps a failure of a read (`head`, `read`, `sessions`, …) or of a delete:
 * a damaged file is `EVENTS_STORE_CORRUPT` with the path and what to do;
 * anything else SQLite says is `EVENTS_LOG_READ_FAILED`. Switchboard errors
 * (a row whose body is not event JSON) pass through.
 */
export function toSqliteReadError(error: unknown, path: string, action: string): SwitchboardError {
  if (SwitchboardError.isInstance(error)) return error;
  const code = sqliteCode(error);
  if (isCorruptCode(code)) return storeCorrupt(error, path, action);
  return new EventsError({
    code: 'EVENTS_LOG_READ_FAILED',
    message: `The SQLite event log at ${path} could not ${action}: ${(error as Error)?.message ?? String(error)}`,
    retryable: code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(code),
    details: { path, ...(code === undefined ? {} : { sqliteCode: code }) },
    cause: error,
  });
}

function isCorruptCode(code: string | undefined): boolean {
  return code !== undefined && /^SQLITE_(NOTADB|CORRUPT)/.test(code);
}

/** A damaged database file, found while trying to `action`: say where it is and how to recover. */
function storeCorrupt(error: unknown, path: string, action: string): EventsError {
  const code = sqliteCode(error)!;
  return new EventsError({
    code: 'EVENTS_STORE_CORRUPT',
    message:
      `The SQLite event store at ${path} is damaged (${code}: ${(error as Error).message}) and could not ${action}. ` +
      `Stop every writer, keep a copy of the file (with its -wal), then restore it from a backup or salvage what is readable with \`sqlite3 ${path} .recover\`.`,
    details: { path, sqliteCode: code },
    cause: error,
  });
}
