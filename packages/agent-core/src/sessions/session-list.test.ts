import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { toCheckpoint } from './session-checkpoint.js';
import { SqliteSessionStore } from './sqlite-session-store.js';
import {
  createStoredSession,
  storedSession,
  transcriptEntry,
} from '../conformance/session-fixtures.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-session-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const dbFile = () => path.join(dir, `list-${++files}.db`);

describe('SqliteSessionStore list, from its columns', () => {
  it('reads neither snapshots nor transcripts', async () => {
    const file = dbFile();
    const store = new SqliteSessionStore({ path: file });
    await createStoredSession(
      store,
      storedSession('s1', 1, {
        title: 'Kept',
        titleSource: 'user',
        transcript: [transcriptEntry('u', 'user')],
      }),
      { model: 'openai:m' },
    );
    const raw = new Database(file);
    raw.exec(`UPDATE switchboard_sessions SET snapshot = '{nope';
      UPDATE switchboard_session_entries SET entry = '{nope';`);
    raw.close();
    expect((await store.list()).sessions).toEqual([
      expect.objectContaining({ sessionId: 's1', title: 'Kept', messageCount: 1 }),
    ]);
    await store.close();
  });

  it('migrates a file without list columns: filled from the stored JSON, model once saved again', async () => {
    const file = dbFile();
    const raw = new Database(file);
    // The format before this version: header rows with revision and lease, one row per entry.
    raw.exec(`CREATE TABLE switchboard_sessions (
        session_id TEXT PRIMARY KEY, agent_name TEXT NOT NULL, created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL, snapshot TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1, lease_owner TEXT,
        lease_expires INTEGER NOT NULL DEFAULT 0, entry_count INTEGER NOT NULL DEFAULT 0) STRICT;
      CREATE INDEX switchboard_sessions_updated ON switchboard_sessions (updated_at DESC);
      CREATE TABLE switchboard_session_entries (session_id TEXT NOT NULL, position INTEGER NOT NULL,
        entry TEXT NOT NULL, PRIMARY KEY (session_id, position)) STRICT, WITHOUT ROWID;`);
    const old = storedSession('old', 7, {
      title: 'Old title',
      titleSource: 'fallback',
      status: 'awaiting_input',
      totals: { usage: {}, costUsd: 0.5, apiCalls: 1 },
    });
    const { transcript: _transcript, revision: _revision, ...header } = old;
    raw
      .prepare('INSERT INTO switchboard_sessions VALUES (?, ?, ?, ?, ?, 3, NULL, 0, 4)')
      .run('old', 'helper', 5, 7, JSON.stringify(header));
    [
      transcriptEntry('u1', 'user', 'text'),
      transcriptEntry('a1', 'assistant'),
      transcriptEntry('t1', 'tool'),
      transcriptEntry('s1', 'user', 'summary'),
    ].forEach((value, position) =>
      raw
        .prepare('INSERT INTO switchboard_session_entries VALUES (?, ?, ?)')
        .run('old', position, JSON.stringify(value)),
    );
    raw
      .prepare(
        "INSERT INTO switchboard_sessions VALUES ('bad', 'helper', 1, 9, '{nope', 1, NULL, 0, 0)",
      )
      .run();
    raw.close();

    const store = new SqliteSessionStore({ path: file });
    expect((await store.list()).sessions).toEqual([
      {
        sessionId: 'bad',
        agentName: 'helper',
        createdAt: 1,
        updatedAt: 9,
        messageCount: 0,
        status: 'idle',
      },
      {
        sessionId: 'old',
        agentName: 'helper',
        title: 'Old title',
        titleSource: 'fallback',
        createdAt: 5,
        updatedAt: 7,
        messageCount: 2,
        costUsd: 0.5,
        status: 'awaiting_input',
      },
    ]);
    expect(await store.load('old')).toMatchObject({ title: 'Old title', revision: 3 });
    const lease = await store.acquireLease('old', 'me');
    const loaded = (await store.load('old'))!;
    await store.save(
      toCheckpoint(loaded, { baseRevision: lease!.revision, owner: 'me', from: 4, model: 'x:y' }),
    );
    expect((await store.list({ q: 'old' })).sessions[0]).toMatchObject({ model: 'x:y' });
    await store.close();
    // Opened again: nothing to migrate, nothing changed.
    const again = new SqliteSessionStore({ path: file });
    expect((await again.list()).sessions.map((row) => row.sessionId)).toEqual(['bad', 'old']);
    await again.close();
  });

  it('migrates a file of the first format through both steps', async () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.exec(`CREATE TABLE switchboard_sessions (
      session_id TEXT PRIMARY KEY, agent_name TEXT NOT NULL, created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL, snapshot TEXT NOT NULL) STRICT`);
    const first = storedSession('first', 3, {
      title: 'First format',
      titleSource: 'user',
      transcript: [
        transcriptEntry('u1', 'user'),
        transcriptEntry('a1', 'assistant'),
        transcriptEntry('u2', 'user'),
      ],
    });
    raw
      .prepare('INSERT INTO switchboard_sessions VALUES (?, ?, ?, ?, ?)')
      .run('first', 'helper', 1, 3, JSON.stringify(first));
    raw.close();
    const store = new SqliteSessionStore({ path: file });
    expect((await store.list()).sessions).toEqual([
      expect.objectContaining({ sessionId: 'first', title: 'First format', messageCount: 3 }),
    ]);
    expect((await store.load('first'))?.transcript).toHaveLength(3);
    await store.close();
  });
});
