import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { toCheckpoint } from '../sessions/session-checkpoint.js';
import type {
  SessionSnapshot,
  SessionStore,
  StoredSessionInfo,
  TranscriptEntry,
} from '../sessions/session-snapshot.js';
import { createEmptySnapshot } from '../sessions/transcript.js';
import { createStoredSession, storedSession, transcriptEntry } from './session-fixtures.js';

/** Options the suite opens a store with: a short lease and, for the lease tests, its own clock. */
export interface SessionStoreTestOptions {
  leaseMs: number;
  now?: () => number;
}

/** How the suite gets a store on fresh, empty storage for each test (the suite closes it). */
export interface SessionStoreHarness {
  create(options: SessionStoreTestOptions): SessionStore | Promise<SessionStore>;
}

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

/**
 * The contract every {@link SessionStore} backend passes (memory, SQLite,
 * PostgreSQL, yours): snapshots round-trip with a revision, checkpoints
 * append from `from`, saves are compare-and-swap (a stale writer gets
 * `CORE_SESSION_CONFLICT`), one writer holds the lease until it is released
 * or expires (`CORE_SESSION_LOCKED`), a dead holder of this host is taken
 * over at once, and `list` pages newest first with search and opaque cursors.
 *
 * Call it at the top level of a vitest file (vitest is an optional peer,
 * loaded when the suite is declared):
 *
 * ```ts
 * await describeSessionStoreConformance('MyStore', { create: (options) => new MyStore(options) });
 * ```
 */
export async function describeSessionStoreConformance(
  name: string,
  harness: SessionStoreHarness,
): Promise<void> {
  const { describe, expect, it } = await import('vitest');
  const open = (options: { now?: () => number } = {}) =>
    Promise.resolve(harness.create({ leaseMs: 1000, ...options }));

  describe(`${name} (SessionStore conformance)`, () => {
    it('saves, loads (with the revision), lists (newest first) and deletes', async () => {
      const store = await open();
      await createStoredSession(store, snapshot('a', 10));
      await createStoredSession(store, snapshot('b', 30));
      await createStoredSession(store, snapshot('c', 20));
      expect(await store.load('b')).toEqual({ ...snapshot('b', 30), revision: 1 });
      expect(await store.load('missing')).toBeUndefined();
      expect((await store.list()).sessions.map((row) => row.sessionId)).toEqual(['b', 'c', 'a']);
      expect((await store.list({ limit: 1 })).sessions).toEqual([
        {
          sessionId: 'b',
          agentName: 'helper',
          createdAt: 1,
          updatedAt: 30,
          messageCount: 1,
          status: 'idle',
        },
      ]);
      await store.delete('b');
      expect(await store.load('b')).toBeUndefined();
      await store.delete('b'); // idempotent
      await store.close?.();
    });

    it('appends entries from `from` on and keeps the stored ones', async () => {
      const store = await open();
      const value = snapshot('a', 1);
      let revision = await createStoredSession(store, value);
      value.transcript.push(entry('m2'), entry('m3'));
      value.turn = 2;
      revision = (
        await store.save(toCheckpoint(value, { baseRevision: revision, owner: 'me', from: 1 }))
      ).revision;
      expect(await store.load('a')).toEqual({ ...value, revision });
      // A rewrite from 0 replaces the whole transcript (compaction, reset).
      value.transcript = [entry('only')];
      await store.save(toCheckpoint(value, { baseRevision: revision, owner: 'me', from: 0 }));
      expect((await store.load('a'))?.transcript.map((e) => e.id)).toEqual(['only']);
      await store.close?.();
    });

    it('refuses a create over an existing id, a stale revision and a skipped entry (CORE_SESSION_CONFLICT)', async () => {
      const store = await open();
      const value = snapshot('a', 1);
      const revision = await createStoredSession(store, value);
      await expect(createStoredSession(store, snapshot('a', 2))).rejects.toMatchObject({
        code: 'CORE_SESSION_CONFLICT',
      });
      const write = (baseRevision: number, from: number) =>
        store.save(toCheckpoint({ ...value, turn: 9 }, { baseRevision, owner: 'me', from }));
      await write(revision, 1);
      // A second writer still at the first revision loses: nothing is overwritten.
      await expect(write(revision, 1)).rejects.toMatchObject({ code: 'CORE_SESSION_CONFLICT' });
      await expect(write(revision + 1, 5)).rejects.toMatchObject({
        code: 'CORE_SESSION_CONFLICT',
      });
      expect((await store.load('a'))?.revision).toBe(revision + 1);
      await store.close?.();
    });

    it('one writer: a live lease refuses other owners until it is released or expires', async () => {
      let now = 1000;
      const store = await open({ now: () => now });
      const revision = await createStoredSession(store, snapshot('a', 1), { owner: 'first' });
      await expect(store.acquireLease('a', 'second')).rejects.toMatchObject({
        code: 'CORE_SESSION_LOCKED',
      });
      // The holder renews; a save by a non-holder is refused.
      expect(await store.acquireLease('a', 'first')).toMatchObject({ revision, ttlMs: 1000 });
      await expect(
        store.save(
          toCheckpoint(snapshot('a', 2), { baseRevision: revision, owner: 'second', from: 0 }),
        ),
      ).rejects.toMatchObject({ code: 'CORE_SESSION_CONFLICT' });
      now += 1001; // expired: taken over
      expect(await store.acquireLease('a', 'second')).toMatchObject({ revision });
      await expect(store.acquireLease('a', 'first')).rejects.toMatchObject({
        code: 'CORE_SESSION_LOCKED',
      });
      await store.releaseLease('a', 'second');
      expect(await store.acquireLease('a', 'first')).toMatchObject({ revision });
      expect(await store.acquireLease('missing', 'first')).toBeUndefined();
      await store.close?.();
    });

    it('hands a session over at once when its holder is a dead process of this host', async () => {
      const store = await open();
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      await createStoredSession(store, snapshot('a', 1), { owner: `${os.hostname()}/${dead}/abc` });
      expect(await store.acquireLease('a', 'me')).toMatchObject({ revision: 1 });
      await store.close?.();
    });
    it('returns what a session list shows, counting only the messages a person sees', async () => {
      const store = await open();
      await createStoredSession(
        store,
        storedSession('s1', 40, {
          title: 'Trip to Rome',
          titleSource: 'model',
          status: 'awaiting_input',
          totals: { usage: { inputTokens: 10 }, costUsd: 0.25, apiCalls: 3 },
          transcript: [
            transcriptEntry('u1', 'user', 'text'),
            transcriptEntry('a1', 'assistant'),
            transcriptEntry('t1', 'tool'),
            transcriptEntry('s1', 'user', 'summary'),
            transcriptEntry('n1', 'user', 'nudge'),
            transcriptEntry('st', 'user', 'steer'),
            transcriptEntry('a2', 'assistant'),
          ],
        }),
        { model: 'openai:gpt-test' },
      );
      await createStoredSession(store, storedSession('s2', 30));
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
      const store = await open();
      const value = storedSession('s1', 10, { transcript: [transcriptEntry('u1', 'user')] });
      const revision = await createStoredSession(store, value, { model: 'openai:a' });
      value.transcript.push(transcriptEntry('a1', 'assistant'));
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
      const store = await open();
      for (const [id, updatedAt] of [
        ['a', 10],
        ['b', 30],
        ['c', 20],
        ['d', 30],
        ['e', 30],
      ] as const)
        await createStoredSession(store, storedSession(id, updatedAt));
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
      const store = await open();
      await createStoredSession(
        store,
        storedSession('s1', 1, { title: 'Trip to ROME', titleSource: 'model' }),
      );
      await createStoredSession(
        store,
        storedSession('s2', 2, { title: 'Budget', titleSource: 'user' }),
      );
      await createStoredSession(
        store,
        storedSession('s3', 3, { title: 'Rome again', titleSource: 'user' }),
      );
      await createStoredSession(store, storedSession('s4', 4)); // untitled: never matches a query
      await createStoredSession(
        store,
        storedSession('s5', 5, { title: 'Été à Rome', titleSource: 'fallback' }),
      );
      const ids = async (q: string) =>
        (await store.list({ q })).sessions.map((row) => row.sessionId);
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
      const store = await open();
      await expect(store.list(options as never)).rejects.toMatchObject({
        code: 'CORE_INVALID_OPTIONS',
      });
      await store.close?.();
    });
  });
}
