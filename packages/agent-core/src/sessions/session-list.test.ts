import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from './memory-session-store.js';
import { toCheckpoint } from './session-checkpoint.js';
import type {
  SessionSnapshot,
  SessionStore,
  StoredSessionInfo,
  TranscriptEntry,
} from './session-snapshot.js';
import { SqliteSessionStore } from './sqlite-session-store.js';
import { createEmptySnapshot } from './transcript.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-session-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const dbFile = () => path.join(dir, `list-${++files}.db`);

const entry = (
  id: string,
  role: 'user' | 'assistant' | 'tool',
  source?: 'text' | 'summary' | 'nudge' | 'steer',
): TranscriptEntry => ({
  id,
  message:
    role === 'tool'
      ? {
          role,
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c1',
              toolName: 't',
              output: { type: 'text', value: 'ok' },
            },
          ],
        }
      : { role, content: [{ type: 'text', text: `${role} ${id}` }] },
  display: { createdAt: 1, status: 'complete', ...(source ? { source } : {}) },
});

const session = (
  sessionId: string,
  updatedAt: number,
  extra: Partial<SessionSnapshot> = {},
): SessionSnapshot => ({
  ...createEmptySnapshot({ sessionId, agentName: 'helper', now: 5 }),
  updatedAt,
  ...extra,
});

async function create(store: SessionStore, value: SessionSnapshot, model?: string) {
  return (await store.save(toCheckpoint(value, { baseRevision: 0, owner: 'me', from: 0, model })))
    .revision;
}

/** Every page of a listing, following the cursors. */
async function allPages(store: SessionStore, options: { limit: number; q?: string }) {
  const pages: StoredSessionInfo[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ ...options, ...(cursor ? { cursor } : {}) });
    pages.push(page.sessions);
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 20);
  return pages;
}

const backends: Array<[string, () => SessionStore]> = [
  ['MemorySessionStore', () => new MemorySessionStore()],
  ['SqliteSessionStore', () => new SqliteSessionStore({ path: dbFile() })],
];

describe.each(backends)('%s list', (_name, open) => {
  it('returns what a session list shows, counting only the messages a person sees', async () => {
    const store = open();
    await create(
      store,
      session('s1', 40, {
        title: 'Trip to Rome',
        titleSource: 'model',
        status: 'awaiting_input',
        totals: { usage: { inputTokens: 10 }, costUsd: 0.25, apiCalls: 3 },
        transcript: [
          entry('u1', 'user', 'text'),
          entry('a1', 'assistant'),
          entry('t1', 'tool'),
          entry('s1', 'user', 'summary'),
          entry('n1', 'user', 'nudge'),
          entry('st', 'user', 'steer'),
          entry('a2', 'assistant'),
        ],
      }),
      'openai:gpt-test',
    );
    await create(store, session('s2', 30));
    expect(await store.list()).toEqual({
      sessions: [
        {
          sessionId: 's1',
          agentName: 'helper',
          title: 'Trip to Rome',
          titleSource: 'model',
          model: 'openai:gpt-test',
          createdAt: 5,
          updatedAt: 40,
          messageCount: 4,
          costUsd: 0.25,
          status: 'awaiting_input',
        },
        {
          sessionId: 's2',
          agentName: 'helper',
          createdAt: 5,
          updatedAt: 30,
          messageCount: 0,
          status: 'idle',
        },
      ],
    });
    await store.close?.();
  });

  it('keeps the listing in step with every save', async () => {
    const store = open();
    const value = session('s1', 10, { transcript: [entry('u1', 'user')] });
    const revision = await create(store, value, 'openai:a');
    value.transcript.push(entry('a1', 'assistant'));
    value.title = 'Renamed';
    value.titleSource = 'user';
    value.status = 'closed';
    value.updatedAt = 20;
    await store.save(
      toCheckpoint(value, { baseRevision: revision, owner: 'me', from: 1, model: 'openai:b' }),
    );
    expect((await store.list()).sessions).toEqual([
      expect.objectContaining({
        title: 'Renamed',
        titleSource: 'user',
        model: 'openai:b',
        messageCount: 2,
        status: 'closed',
        updatedAt: 20,
      }),
    ]);
    await store.delete('s1');
    expect(await store.list()).toEqual({ sessions: [] });
    await store.close?.();
  });

  it('pages newest first, ties broken by id, with an opaque cursor until the last page', async () => {
    const store = open();
    for (const [id, updatedAt] of [
      ['a', 10],
      ['b', 30],
      ['c', 20],
      ['d', 30],
      ['e', 30],
    ] as const)
      await create(store, session(id, updatedAt));
    const order = ['b', 'd', 'e', 'c', 'a'];
    expect((await store.list()).sessions.map((row) => row.sessionId)).toEqual(order);
    const pages = await allPages(store, { limit: 2 });
    expect(pages.map((page) => page.map((row) => row.sessionId))).toEqual([
      ['b', 'd'],
      ['e', 'c'],
      ['a'],
    ]);
    // A page that ends exactly at the end has no next cursor.
    expect((await store.list({ limit: 5 })).nextCursor).toBeUndefined();
    const first = await store.list({ limit: 4 });
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(await store.list({ limit: 4, cursor: first.nextCursor })).toEqual({
      sessions: [expect.objectContaining({ sessionId: 'a' })],
    });
    await store.close?.();
  });

  it('filters by a case-insensitive substring of the title (q), across pages', async () => {
    const store = open();
    await create(store, session('s1', 1, { title: 'Trip to ROME', titleSource: 'model' }));
    await create(store, session('s2', 2, { title: 'Budget', titleSource: 'user' }));
    await create(store, session('s3', 3, { title: 'Rome again', titleSource: 'user' }));
    await create(store, session('s4', 4)); // untitled: never matches a query
    await create(store, session('s5', 5, { title: 'Été à Rome', titleSource: 'fallback' }));
    const ids = async (q: string) => (await store.list({ q })).sessions.map((row) => row.sessionId);
    expect(await ids('rome')).toEqual(['s5', 's3', 's1']);
    expect(await ids('  ROME ')).toEqual(['s5', 's3', 's1']);
    expect(await ids('ÉTÉ')).toEqual(['s5']);
    expect(await ids('nothing')).toEqual([]);
    expect(await ids('')).toEqual(['s5', 's4', 's3', 's2', 's1']);
    expect(
      (await allPages(store, { limit: 2, q: 'Rome' })).map((page) =>
        page.map((row) => row.sessionId),
      ),
    ).toEqual([['s5', 's3'], ['s1']]);
    await store.close?.();
  });

  it.each([
    [{ limit: 0 }],
    [{ limit: -1 }],
    [{ limit: 1.5 }],
    [{ cursor: 'not-a-cursor' }],
    [{ cursor: Buffer.from('{"a":1}').toString('base64url') }],
    [{ q: 42 }],
    [{ order: 'asc' }],
  ])('refuses %j with CORE_INVALID_OPTIONS', async (options) => {
    const store = open();
    await expect(store.list(options as never)).rejects.toMatchObject({
      code: 'CORE_INVALID_OPTIONS',
    });
    await store.close?.();
  });
});

describe('SqliteSessionStore list, from its columns', () => {
  it('reads neither snapshots nor transcripts', async () => {
    const file = dbFile();
    const store = new SqliteSessionStore({ path: file });
    await create(
      store,
      session('s1', 1, { title: 'Kept', titleSource: 'user', transcript: [entry('u', 'user')] }),
      'openai:m',
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
    const old = session('old', 7, {
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
      entry('u1', 'user', 'text'),
      entry('a1', 'assistant'),
      entry('t1', 'tool'),
      entry('s1', 'user', 'summary'),
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
    const first = session('first', 3, {
      title: 'First format',
      titleSource: 'user',
      transcript: [entry('u1', 'user'), entry('a1', 'assistant'), entry('u2', 'user')],
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
