import type Database from 'better-sqlite3';
import { EventsError } from '../../errors/events-error.js';
import { SQLITE_SCHEMA_VERSION } from './sqlite-schema-version.js';

export { SQLITE_SCHEMA_VERSION };

/**
 * Migration `i` takes a store from version `i` to `i + 1`. Append only: a
 * released migration never changes, so every store reaches the same shape.
 */
const MIGRATIONS: readonly string[] = [
  // `body` is the full event JSON, so fields and types this version does not
  // know survive byte for byte; the other columns exist only to index it.
  `CREATE TABLE IF NOT EXISTS events (
     session_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     ts INTEGER NOT NULL,
     type TEXT NOT NULL,
     run_id TEXT,
     body TEXT NOT NULL,
     PRIMARY KEY (session_id, seq)
   ) WITHOUT ROWID, STRICT;
   CREATE INDEX IF NOT EXISTS events_by_run ON events (session_id, run_id, seq);`,
];

/**
 * Brings the store in `db` to {@link SQLITE_SCHEMA_VERSION}. Safe to race:
 * two processes opening a new file at once both end up at the same version,
 * because the check and the migration share one write transaction. Throws
 * `EVENTS_UNSUPPORTED_VERSION` for a store written by a newer version.
 */
export function migrateSqliteSchema(db: Database.Database): void {
  const current = () => db.pragma('user_version', { simple: true }) as number;
  // Fast path without the write lock: an up-to-date store needs nothing.
  if (checkVersion(current())) return;
  db.transaction(() => {
    const version = current();
    if (checkVersion(version)) return;
    for (let step = version; step < SQLITE_SCHEMA_VERSION; step++) db.exec(MIGRATIONS[step]!);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}

/** True when `version` is current; throws when it is newer than this package. */
function checkVersion(version: number): boolean {
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new EventsError({
      code: 'EVENTS_UNSUPPORTED_VERSION',
      message: `The SQLite event store has schema version ${version}; this package understands up to ${SQLITE_SCHEMA_VERSION}.`,
      details: { schemaVersion: version, supported: SQLITE_SCHEMA_VERSION },
    });
  }
  return version === SQLITE_SCHEMA_VERSION;
}
