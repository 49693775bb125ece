import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EventsError } from '../../errors/events-error.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import { toSqliteAppendError, toSqliteOpenError, toSqliteReadError } from './sqlite-errors.js';

const events = [
  { v: 1, type: 'notice', seq: 1, ts: 1, sessionId: 'a', data: {} },
  { v: 1, type: 'notice', seq: 1, ts: 1, sessionId: 'b', data: {} },
  { v: 1, type: 'notice', seq: 2, ts: 1, sessionId: 'a', data: {} },
] as AnyEvent[];

const thrownBy = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('toSqliteAppendError', () => {
  it('maps a real primary-key violation to EVENTS_SEQ_CONFLICT', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (s TEXT, n INTEGER, PRIMARY KEY (s, n)) WITHOUT ROWID');
    db.exec("INSERT INTO t VALUES ('a', 1)");
    const raw = thrownBy(() => db.exec("INSERT INTO t VALUES ('a', 1)"));
    const mapped = toSqliteAppendError(raw, events);
    expect(mapped).toBeInstanceOf(EventsError);
    expect(mapped).toMatchObject({
      code: 'EVENTS_SEQ_CONFLICT',
      retryable: false,
      details: { sessions: ['a', 'b'], sqliteCode: 'SQLITE_CONSTRAINT_PRIMARYKEY' },
    });
    expect(mapped.cause).toBe(raw);
    db.close();
  });

  it('maps lock contention to a retryable EVENTS_LOG_APPEND_FAILED', () => {
    const raw = new Database.SqliteError('database is locked', 'SQLITE_BUSY');
    expect(toSqliteAppendError(raw, events)).toMatchObject({
      code: 'EVENTS_LOG_APPEND_FAILED',
      retryable: true,
      details: { sessions: ['a', 'b'], count: 3, sqliteCode: 'SQLITE_BUSY' },
    });
  });

  it('passes Switchboard errors through and wraps anything else with its cause', () => {
    const conflict = new EventsError({
      code: 'EVENTS_SEQ_CONFLICT',
      message: 'expected seq 2, got 3',
    });
    expect(toSqliteAppendError(conflict, events)).toBe(conflict);
    const plain = new TypeError('Do not know how to serialize a BigInt');
    expect(toSqliteAppendError(plain, events)).toMatchObject({
      code: 'EVENTS_LOG_APPEND_FAILED',
      retryable: false,
      message: expect.stringMatching(/3 event\(s\): Do not know how to serialize a BigInt/),
      details: { sessions: ['a', 'b'], count: 3 },
      cause: plain,
    });
    expect(toSqliteAppendError('weird', events).message).toMatch(/weird$/);
  });
});

describe('toSqliteOpenError', () => {
  it('maps a file that is not a database to EVENTS_STORE_CORRUPT and an unusable path to EVENTS_INVALID_OPTIONS', () => {
    const notADb = new Database.SqliteError('file is not a database', 'SQLITE_NOTADB');
    expect(toSqliteOpenError(notADb, '/x/events.db')).toMatchObject({
      code: 'EVENTS_STORE_CORRUPT',
      details: { path: '/x/events.db', sqliteCode: 'SQLITE_NOTADB' },
      cause: notADb,
    });
    const missingDir = new TypeError('Cannot open database because the directory does not exist');
    expect(toSqliteOpenError(missingDir, '/nope/events.db')).toMatchObject({
      code: 'EVENTS_INVALID_OPTIONS',
      retryable: false,
      message: expect.stringMatching(/directory does not exist/),
      details: { path: '/nope/events.db' },
    });
    const newer = new EventsError({ code: 'EVENTS_UNSUPPORTED_VERSION', message: 'newer' });
    expect(toSqliteOpenError(newer, 'x')).toBe(newer);
  });
});

describe('toSqliteReadError', () => {
  it('maps a damaged file to EVENTS_STORE_CORRUPT with the path, other SQLite failures to EVENTS_LOG_READ_FAILED', () => {
    const corrupt = new Database.SqliteError('database disk image is malformed', 'SQLITE_CORRUPT');
    expect(toSqliteReadError(corrupt, '/x/events.db', 'read session s')).toMatchObject({
      code: 'EVENTS_STORE_CORRUPT',
      message: expect.stringMatching(
        /\/x\/events\.db is damaged .*could not read session s.*\.recover/,
      ),
      details: { path: '/x/events.db', sqliteCode: 'SQLITE_CORRUPT' },
      cause: corrupt,
    });
    const io = new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_READ');
    expect(toSqliteReadError(io, '/x/events.db', 'list sessions')).toMatchObject({
      code: 'EVENTS_LOG_READ_FAILED',
      retryable: false,
      details: { path: '/x/events.db', sqliteCode: 'SQLITE_IOERR_READ' },
    });
    const coded = new EventsError({ code: 'EVENTS_STORE_CORRUPT', message: 'bad row' });
    expect(toSqliteReadError(coded, 'x', 'read')).toBe(coded);
  });
});
