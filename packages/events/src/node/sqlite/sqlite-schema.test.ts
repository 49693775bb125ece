import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventLog } from './sqlite-event-log.js';
import { SQLITE_SCHEMA_VERSION, migrateSqliteSchema } from './sqlite-schema.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const dbFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-schema-'));
  dirs.push(dir);
  return path.join(dir, 'events.db');
};

describe('migrateSqliteSchema', () => {
  it('creates the table and run index once and records the version', () => {
    const db = new Database(':memory:');
    migrateSqliteSchema(db);
    migrateSqliteSchema(db); // idempotent
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    const objects = db
      .prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
      .all();
    expect(objects).toEqual([
      { type: 'table', name: 'events' },
      { type: 'index', name: 'events_by_run' },
    ]);
    const table = db
      .prepare("SELECT wr, strict FROM pragma_table_list WHERE name = 'events'")
      .get();
    expect(table).toEqual({ wr: 1, strict: 1 }); // WITHOUT ROWID, STRICT
    const columns = db
      .prepare("SELECT name, type, pk FROM pragma_table_info('events') ORDER BY cid")
      .all();
    expect(columns).toEqual([
      { name: 'session_id', type: 'TEXT', pk: 1 },
      { name: 'seq', type: 'INTEGER', pk: 2 },
      { name: 'ts', type: 'INTEGER', pk: 0 },
      { name: 'type', type: 'TEXT', pk: 0 },
      { name: 'run_id', type: 'TEXT', pk: 0 },
      { name: 'body', type: 'TEXT', pk: 0 },
    ]);
    db.close();
  });

  it('refuses a store written by a newer schema version, and the log closes the file it opened', () => {
    const file = dbFile();
    const newer = new Database(file);
    newer.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    newer.close();
    expect(() => new SqliteEventLog({ path: file })).toThrow(
      expect.objectContaining({
        code: 'EVENTS_UNSUPPORTED_VERSION',
        details: { schemaVersion: 2, supported: 1 },
      }),
    );
    // Nothing of the log's connection is left holding the file.
    const check = new Database(file);
    check.exec('BEGIN EXCLUSIVE; COMMIT');
    expect(
      check.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'events'").pluck().get(),
    ).toBe(0);
    check.close();
  });
});
