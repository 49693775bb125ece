import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { toCheckpoint } from './session-checkpoint.js';
import type { SessionSnapshot, SessionStore, TranscriptEntry } from './session-snapshot.js';
import { SqliteSessionStore } from './sqlite-session-store.js';
import { createEmptySnapshot } from './transcript.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const dbFile = () => path.join(dir, `store-${++files}.db`);

// The SessionStore contract (memory and SQLite alike) is the shared conformance suite:
// session-store.conformance.test.ts. This file covers what is SQLite-only.
const entry = (id: string, text = `text of ${id}`): TranscriptEntry => ({
  id,
  message: { role: 'user', content: [{ type: 'text', text }] },
  display: { createdAt: 1, status: 'complete', source: 'voice' },
});

const snapshot = (sessionId: string, updatedAt: number): SessionSnapshot => ({
  ...createEmptySnapshot({ sessionId, agentName: 'helper', now: 1 }),
  updatedAt,
  transcript: [entry('m1', `hello from ${sessionId}`)],
});

/** Creates a session in the store as `owner`; resolves to its revision. */
async function create(store: SessionStore, value: SessionSnapshot, owner = 'me') {
  return (await store.save(toCheckpoint(value, { baseRevision: 0, owner, from: 0 }))).revision;
}

describe('SqliteSessionStore', () => {
  it('is durable: a second instance on the same file sees the session', async () => {
    const file = dbFile();
    const writer = new SqliteSessionStore({ path: file });
    await create(writer, snapshot('kept', 5));
    await writer.close();
    const reader = new SqliteSessionStore({ path: file });
    expect((await reader.load('kept'))?.transcript[0]?.message).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'hello from kept' }],
    });
    await reader.close();
  });

  it('a checkpoint touches the header and the new entries only, at any length', async () => {
    const file = dbFile();
    const store = new SqliteSessionStore({ path: file });
    const value = snapshot('long', 1);
    let revision = await create(store, value);
    // Count every row the store's own connection writes, with triggers.
    const raw = new Database(file);
    raw.exec(`CREATE TABLE writes (n INTEGER NOT NULL);
      INSERT INTO writes VALUES (0);
      CREATE TRIGGER ei AFTER INSERT ON switchboard_session_entries BEGIN UPDATE writes SET n = n + 1; END;
      CREATE TRIGGER eu AFTER UPDATE ON switchboard_session_entries BEGIN UPDATE writes SET n = n + 1; END;
      CREATE TRIGGER ed AFTER DELETE ON switchboard_session_entries BEGIN UPDATE writes SET n = n + 1; END;
      CREATE TRIGGER hu AFTER UPDATE ON switchboard_sessions BEGIN UPDATE writes SET n = n + 1; END;`);
    const written = () => raw.prepare('SELECT n FROM writes').pluck().get() as number;
    const perCheckpoint: number[] = [];
    for (let turn = 1; turn <= 300; turn++) {
      const from = value.transcript.length;
      value.transcript.push(entry(`u${turn}`), entry(`a${turn}`));
      const before = written();
      revision = (
        await store.save(toCheckpoint(value, { baseRevision: revision, owner: 'me', from }))
      ).revision;
      perCheckpoint.push(written() - before);
    }
    // Two new entries and one header row, at turn 1 and at turn 300 alike.
    expect(new Set(perCheckpoint)).toEqual(new Set([3]));
    expect((await store.load('long'))?.transcript).toHaveLength(601);
    raw.close();
    await store.close();
  });

  it('migrates a file of the first format (whole snapshot in one column) on open', async () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.exec(`CREATE TABLE switchboard_sessions (
      session_id TEXT PRIMARY KEY, agent_name TEXT NOT NULL, created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL, snapshot TEXT NOT NULL) STRICT`);
    const old = { ...snapshot('old', 7), transcript: [entry('m1'), entry('m2')] };
    raw
      .prepare('INSERT INTO switchboard_sessions VALUES (?, ?, ?, ?, ?)')
      .run('old', 'helper', 1, 7, JSON.stringify(old));
    raw.prepare("INSERT INTO switchboard_sessions VALUES ('bad', 'helper', 1, 1, '{nope')").run();
    raw.close();
    const store = new SqliteSessionStore({ path: file });
    expect(await store.load('old')).toEqual({ ...old, revision: 1 });
    await expect(store.load('bad')).rejects.toMatchObject({ code: 'CORE_SESSION_CORRUPT' });
    // It continues incrementally after the migration.
    const lease = await store.acquireLease('old', 'me');
    old.transcript.push(entry('m3'));
    await store.save(toCheckpoint(old, { baseRevision: lease!.revision, owner: 'me', from: 2 }));
    expect((await store.load('old'))?.transcript.map((e) => e.id)).toEqual(['m1', 'm2', 'm3']);
    await store.close();
    // Opening a migrated file again changes nothing.
    const again = new SqliteSessionStore({ path: file });
    expect((await again.load('old'))?.transcript).toHaveLength(3);
    await again.close();
  });

  it('refuses a corrupt or newer snapshot with CORE_SESSION_CORRUPT and changes nothing', async () => {
    const file = dbFile();
    const store = new SqliteSessionStore({ path: file });
    await create(store, snapshot('bad', 1));
    await create(store, snapshot('newer', 1));
    const raw = new Database(file);
    raw
      .prepare("UPDATE switchboard_sessions SET snapshot = '{nope' WHERE session_id = 'bad'")
      .run();
    raw
      .prepare(
        "UPDATE switchboard_sessions SET snapshot = json_set(snapshot, '$.version', 7) WHERE session_id = 'newer'",
      )
      .run();
    raw.close();
    await expect(store.load('bad')).rejects.toMatchObject({
      code: 'CORE_SESSION_CORRUPT',
      message: expect.stringContaining('not valid JSON') as string,
    });
    await expect(store.load('newer')).rejects.toMatchObject({
      code: 'CORE_SESSION_CORRUPT',
      message: expect.stringContaining('newer version') as string,
    });
    expect((await store.list()).sessions).toHaveLength(2);
    await store.close();
  });

  it('reports an unusable path as CORE_SESSION_STORE_FAILED', () => {
    expect(() => new SqliteSessionStore({ path: path.join(dir, 'no', 'such', 'dir.db') })).toThrow(
      expect.objectContaining({ code: 'CORE_SESSION_STORE_FAILED' }),
    );
  });

  it('validates its options', () => {
    expect(() => new SqliteSessionStore({ path: '' })).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_OPTIONS' }),
    );
  });
});
