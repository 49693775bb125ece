import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBus, MemoryEventLog } from '@switchboard/events';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LEASE_MS } from '../sessions/session-lease.js';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { startTestAgent } from '../test-helpers/test-agent.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-release-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two agents (two "instances": own bus, own store handle) on one session store file and one event log. */
async function twoInstances(name: string, scripts: { a: string[]; b: string[] }) {
  const file = path.join(dir, `${name}.db`);
  const log = new MemoryEventLog();
  const errors: string[] = [];
  const onError = (error: Error) => errors.push(error.message);
  const instance = async (prefix: string, texts: string[]) => {
    let ids = 0;
    return startTestAgent(
      texts.map((text) => ({ text })),
      {
        store: new SqliteSessionStore({ path: file }),
        bus: new EventBus({ log, onError }),
        // Ids unique across both instances, as random ids are.
        generateId: (kind) => `${kind}_${prefix}${++ids}`,
      },
    );
  };
  return { a: await instance('a', scripts.a), b: await instance('b', scripts.b), log, errors };
}

describe('releasing an idle session (instances sharing the stores)', () => {
  it('a released session is run by another instance; the first sees it changed and loads it fresh, seq gap-free', async () => {
    const { a, b, log, errors } = await twoInstances('handover', {
      a: ['One.', 'Three.'],
      b: ['Two.'],
    });
    await using _a = a;
    await using _b = b;
    const onA = await a.agent.createSession();
    expect((await onA.run('first').result).stopReason).toBe('completed');
    expect(await onA.release()).toBe(true);
    expect(onA.released).toBe(true);
    // A released handle refuses to write until it takes the lease back.
    expect(() => onA.run('not now')).toThrow(
      expect.objectContaining({ code: 'CORE_SESSION_LOCKED' }),
    );

    // The other instance takes it at once: no lease to wait for.
    const onB = await b.agent.loadSession(onA.id);
    expect((await onB.run('second').result).text).toBe('Two.');
    expect(await onB.release()).toBe(true);

    // Instance A: the store moved on, so its cached handle closes (no events) and a fresh load continues.
    expect(await onA.reacquire()).toBe(false);
    expect(onA.status).toBe('closed');
    const fresh = await a.agent.loadSession(onA.id);
    expect(fresh.transcript.map((entry) => entry.message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect((await fresh.run('third').result).text).toBe('Three.');
    await fresh.idle();
    await a.agent.bus.flush();
    await b.agent.bus.flush();

    const events = log.read(onA.id, 0, 10_000);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.filter((event) => event.type === 'run.finished')).toHaveLength(3);
    // Released and reacquired handles emit no session.ended: the session never ended.
    expect(events.filter((event) => event.type === 'session.ended')).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('nobody wrote meanwhile: the cached handle takes the lease back and continues', async () => {
    const { a, b, log, errors } = await twoInstances('same', { a: ['One.', 'Two.'], b: [] });
    await using _a = a;
    await using _b = b;
    const session = await a.agent.createSession();
    await session.run('first').result;
    expect(await session.release()).toBe(true);
    expect(await session.reacquire()).toBe(true);
    expect(session.released).toBe(false);
    expect((await session.run('second').result).text).toBe('Two.');
    await session.idle();
    await a.agent.bus.flush();
    const events = log.read(session.id, 0, 10_000);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    // While A holds it again, B is refused.
    await expect(b.agent.loadSession(session.id)).rejects.toMatchObject({
      code: 'CORE_SESSION_LOCKED',
    });
    expect(errors).toEqual([]);
  });

  it('a session with an active run keeps its lease', async () => {
    const { a, b } = await twoInstances('busy', { a: ['Slow answer.'], b: [] });
    await using _a = a;
    await using _b = b;
    const session = await a.agent.createSession();
    const run = session.run('go');
    expect(await session.release()).toBe(false);
    await expect(b.agent.loadSession(session.id)).rejects.toMatchObject({
      code: 'CORE_SESSION_LOCKED',
    });
    await run.result;
    expect(await session.release()).toBe(true);
    const taken = await b.agent.loadSession(session.id);
    expect(taken.status).toBe('idle');
    // A held it while B loads: A's reacquire is refused while B holds the lease.
    await expect(session.reacquire()).rejects.toMatchObject({ code: 'CORE_SESSION_LOCKED' });
  });

  it('the documented lease bound holds by default: 30 s, renewed every third of it', async () => {
    expect(DEFAULT_LEASE_MS).toBe(30_000);
    const { a, b } = await twoInstances('default-lease', { a: [], b: [] });
    await using _a = a;
    await using _b = b;
    const session = await a.agent.createSession();
    expect(await session.release()).toBe(true);
    const store = new SqliteSessionStore({ path: path.join(dir, 'default-lease.db') });
    const lease = await store.acquireLease(session.id, 'probe');
    expect(lease?.ttlMs).toBe(30_000);
    await store.close();
  });
});
