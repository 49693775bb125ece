import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBus, MemoryEventLog, type AnyEvent } from '@switchboard/events';
import { createScriptedModel } from '@switchboard/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../sessions/memory-session-store.js';
import { toSessionListing } from '../sessions/session-listing.js';
import type { SessionCheckpoint, SessionStore } from '../sessions/session-snapshot.js';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { createAgent, type Agent } from './agent.js';
import type { AgentOptions } from './agent-options.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const dbFile = () => path.join(dir, `sessions-${++files}.db`);

/** An agent on an in-process scripted model that answers every call with `answer`. */
function agentWith(options: Partial<AgentOptions> = {}, answer = 'Sure.'): Agent {
  return createAgent({
    name: 'durable',
    model: createScriptedModel(() => ({ text: answer })),
    ...options,
  });
}

/** Every event the bus delivers. */
function record(bus: EventBus): AnyEvent[] {
  const events: AnyEvent[] = [];
  bus.on('*', (event) => events.push(event));
  return events;
}

const stores: Array<[string, () => SessionStore]> = [
  ['memory', () => new MemorySessionStore()],
  ['SQLite', () => new SqliteSessionStore({ path: dbFile() })],
];

describe('event numbering across processes (no event log)', () => {
  it('a reloaded session continues its seq where the last process stopped', async () => {
    const file = dbFile();
    const first = agentWith({ store: new SqliteSessionStore({ path: file }) });
    const before = record(first.bus);
    const session = await first.createSession();
    await session.run('hello').result;
    await session.idle();
    await first.bus.flush();
    // A new process (once the first one's lease has run out): a new bus, knowing nothing of the session.
    const second = agentWith({
      store: new SqliteSessionStore({ path: file, now: () => Date.now() + 60_000 }),
    });
    const after = record(second.bus);
    const again = await second.loadSession(session.id);
    await again.run('again').result;
    await again.close();
    await second.bus.flush();
    const seqs = [...before, ...after].map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));
  });
});

describe.each(stores)('one writer per session (%s store)', (_name, openStore) => {
  it("a handle's snapshot carries the stored revision it was opened at", async () => {
    const store = openStore();
    const agent = agentWith({ store });
    const events = record(agent.bus);
    const session = await agent.createSession();
    expect(session.snapshot().revision).toBe(1);
    await session.run('hello').result;
    await session.close();
    const stored = await store.load(session.id);
    expect(stored!.revision).toBeGreaterThan(1);
    const again = await agent.loadSession(session.id);
    expect(again.snapshot().revision).toBe(stored!.revision);
    await again.close();
    await agent.bus.flush();
    const imported = await agent.importSession(events);
    expect(imported.snapshot().revision).toBe(1);
    await imported.close();
  });

  it('a second handle on an open session is refused with CORE_SESSION_LOCKED', async () => {
    const agent = agentWith({ store: openStore() });
    const session = await agent.createSession();
    await expect(agent.loadSession(session.id)).rejects.toMatchObject({
      code: 'CORE_SESSION_LOCKED',
    });
    await session.close();
    // Closed: the lease is released and the session can be opened again.
    const again = await agent.loadSession(session.id);
    expect(again.status).toBe('closed');
  });

  it('a handle whose session was taken over loses its run with CORE_SESSION_CONFLICT; nothing is overwritten', async () => {
    const store = openStore();
    const agent = agentWith({ store }, 'From the first handle.');
    const session = await agent.createSession();
    await session.run('one').result;
    // Another writer takes the session over (as after an expired lease) and runs a turn.
    const owner = 'elsewhere/1/x';
    await store.releaseLease(session.id, await leaseOwnerOf(store, session.id));
    const lease = await store.acquireLease(session.id, owner);
    const stored = (await store.load(session.id))!;
    stored.turn = 42;
    await store.save({
      ...checkpointOf(stored),
      baseRevision: lease!.revision,
      owner,
    });
    const result = await session.run('two').result;
    expect(result).toMatchObject({
      stopReason: 'failed',
      error: { code: 'CORE_SESSION_CONFLICT' },
    });
    expect(() => session.run('three')).toThrow(
      expect.objectContaining({ code: 'CORE_SESSION_CONFLICT' }),
    );
    const kept = (await store.load(session.id))!;
    expect(kept.turn).toBe(42);
    expect(JSON.stringify(kept.transcript)).not.toContain('two');
  });
});

/** The owner the session's handle took the lease with (read back by trying a foreign owner). */
async function leaseOwnerOf(store: SessionStore, sessionId: string): Promise<string> {
  try {
    await store.acquireLease(sessionId, 'probe/1/x');
  } catch (error) {
    return (error as { details: { owner: string } }).details.owner;
  }
  throw new Error('the session had no live lease');
}

function checkpointOf(snapshot: Awaited<ReturnType<SessionStore['load']>> & object) {
  const { transcript, revision: _revision, ...header } = snapshot;
  return {
    sessionId: snapshot.sessionId,
    agentName: snapshot.agentName,
    createdAt: snapshot.createdAt,
    updatedAt: snapshot.updatedAt,
    header: JSON.stringify(header),
    from: 0,
    entries: transcript.map((entry) => JSON.stringify(entry)),
    listing: toSessionListing(snapshot, undefined),
  } satisfies Omit<SessionCheckpoint, 'baseRevision' | 'owner'>;
}

describe('session lifecycle', () => {
  it('restoring a session does not run on_session_start again', async () => {
    const starts: boolean[] = [];
    const agent = agentWith({
      hooks: { on_session_start: ({ restored }) => void starts.push(restored) },
    });
    const events = record(agent.bus);
    const session = await agent.createSession();
    await session.close();
    await agent.loadSession(session.id);
    await agent.bus.flush();
    expect(starts).toEqual([false]);
    expect(
      events.filter((event) => event.type === 'session.started').map((event) => event.data),
    ).toEqual([{ agent: { name: 'durable' } }, { agent: { name: 'durable' }, restored: true }]);
  });

  it('close() drops what the process kept for the session (bus sequence, registry, lease)', async () => {
    const agent = agentWith();
    const session = await agent.createSession();
    await session.run('hi').result;
    expect(agent.bus.head(session.id)).toBeDefined();
    await session.close();
    expect(agent.bus.head(session.id)).toBeUndefined();
  });

  it('deleteSession() removes the stored session and its logged events', async () => {
    const log = new MemoryEventLog();
    const store = new SqliteSessionStore({ path: dbFile() });
    const agent = agentWith({ store, bus: new EventBus({ log }) });
    const session = await agent.createSession();
    await session.run('forget me').result;
    await agent.deleteSession(session.id); // closes the open handle first
    expect(session.status).toBe('closed');
    expect(await store.load(session.id)).toBeUndefined();
    expect(log.read(session.id)).toEqual([]);
    await expect(agent.loadSession(session.id)).rejects.toMatchObject({
      code: 'CORE_SESSION_NOT_FOUND',
    });
    await agent.deleteSession(session.id); // unknown now: nothing to do
  });

  it('a turn writes the same bytes at turn 3 and at turn 60 (memory and SQLite stores)', async () => {
    for (const [, openStore] of stores) {
      const inner = openStore();
      const writes: Array<{ entries: number; bytes: number }> = [];
      const counting: SessionStore = {
        load: (id) => inner.load(id),
        save: (checkpoint) => {
          writes.push({
            entries: checkpoint.entries.length,
            bytes:
              checkpoint.header.length +
              checkpoint.entries.reduce((sum, entry) => sum + entry.length, 0),
          });
          return inner.save(checkpoint);
        },
        acquireLease: (id, owner) => inner.acquireLease(id, owner),
        releaseLease: (id, owner) => inner.releaseLease(id, owner),
        delete: (id) => inner.delete(id),
        list: (options) => inner.list(options),
      };
      const agent = agentWith({ store: counting, compaction: false });
      const session = await agent.createSession();
      const perTurn: Array<{ entries: number; bytes: number }> = [];
      for (let turn = 1; turn <= 60; turn++) {
        const start = writes.length;
        await session.run(`message number ${turn}`).result;
        await session.idle();
        const turnWrites = writes.slice(start);
        perTurn.push({
          entries: turnWrites.reduce((sum, write) => sum + write.entries, 0),
          bytes: turnWrites.reduce((sum, write) => sum + write.bytes, 0),
        });
      }
      // Each turn adds a user and an assistant entry, and writes only those.
      expect(perTurn.map((turn) => turn.entries)).toEqual(perTurn.map(() => 2));
      expect(perTurn[59]!.bytes).toBeLessThan(perTurn[2]!.bytes * 1.1);
      expect((await inner.load(session.id))?.transcript).toHaveLength(120);
    }
  });

  it('a compaction (summary inserted, older entries archived) is stored whole, then appends resume', async () => {
    const store = new MemorySessionStore();
    const agent = agentWith({
      store,
      compaction: { contextWindow: 120, threshold: 0.5, keepRecent: 2 },
    });
    const session = await agent.createSession();
    for (let turn = 1; turn <= 4; turn++) await session.run(`message number ${turn}`).result;
    await session.idle();
    const local = session.snapshot();
    expect(local.transcript.some((entry) => entry.display.archived)).toBe(true);
    expect(local.transcript.some((entry) => entry.display.source === 'summary')).toBe(true);
    expect((await store.load(session.id))?.transcript).toEqual(local.transcript);
  });

  it('an open handle keeps renewing its lease; close() gives it up', async () => {
    const store = new MemorySessionStore({ leaseMs: 60 });
    const agent = agentWith({ store });
    const session = await agent.createSession();
    await new Promise((resolve) => setTimeout(resolve, 250)); // four lease lengths
    await expect(store.acquireLease(session.id, 'other/1/x')).rejects.toMatchObject({
      code: 'CORE_SESSION_LOCKED',
    });
    await session.close();
    expect(await store.acquireLease(session.id, 'other/1/x')).toMatchObject({ revision: 2 });
  });
});
