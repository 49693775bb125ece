import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from './memory-session-store.js';
import type { SessionSnapshot, SessionStore } from './session-snapshot.js';
import { SqliteSessionStore } from './sqlite-session-store.js';
import { createEmptySnapshot } from './transcript.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const dbFile = () => path.join(dir, `store-${++files}.db`);

const snapshot = (sessionId: string, updatedAt: number): SessionSnapshot => ({
  ...createEmptySnapshot({ sessionId, agentName: 'helper', now: 1 }),
  updatedAt,
  transcript: [
    {
      id: 'm1',
      message: { role: 'user', content: [{ type: 'text', text: `hello from ${sessionId}` }] },
      display: { createdAt: 1, status: 'complete', source: 'voice' },
    },
  ],
});

const backends: Array<[string, () => SessionStore]> = [
  ['MemorySessionStore', () => new MemorySessionStore()],
  ['SqliteSessionStore', () => new SqliteSessionStore({ path: dbFile() })],
];

describe.each(backends)('%s', (_name, create) => {
  it('saves, loads, lists (newest first) and deletes', async () => {
    const store = create();
    await store.save(snapshot('a', 10));
    await store.save(snapshot('b', 30));
    await store.save(snapshot('c', 20));
    expect(await store.load('b')).toEqual(snapshot('b', 30));
    expect(await store.load('missing')).toBeUndefined();
    expect((await store.list()).map((row) => row.sessionId)).toEqual(['b', 'c', 'a']);
    expect(await store.list({ limit: 1 })).toEqual([
      { sessionId: 'b', updatedAt: 30, agentName: 'helper' },
    ]);
    await store.delete('b');
    expect(await store.load('b')).toBeUndefined();
    await store.close?.();
  });

  it('replaces a snapshot on save and keeps no reference to the caller’s object', async () => {
    const store = create();
    const first = snapshot('a', 1);
    await store.save(first);
    first.turn = 99;
    expect((await store.load('a'))?.turn).toBe(0);
    await store.save({ ...first, turn: 2, updatedAt: 2 });
    expect((await store.load('a'))?.turn).toBe(2);
    await store.close?.();
  });
});

describe('SqliteSessionStore', () => {
  it('is durable: a second instance on the same file sees the session', async () => {
    const file = dbFile();
    const writer = new SqliteSessionStore({ path: file });
    await writer.save(snapshot('kept', 5));
    await writer.close();
    const reader = new SqliteSessionStore({ path: file });
    expect((await reader.load('kept'))?.transcript[0]?.message).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'hello from kept' }],
    });
    await reader.close();
  });

  it('refuses a corrupt or newer snapshot with CORE_SESSION_CORRUPT and changes nothing', async () => {
    const file = dbFile();
    const store = new SqliteSessionStore({ path: file });
    await store.save(snapshot('bad', 1));
    await store.save(snapshot('newer', 1));
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
    expect((await store.list()).length).toBe(2);
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
