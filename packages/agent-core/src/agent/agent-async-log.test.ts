import {
  EventBus,
  MemoryEventLog,
  type AnyEvent,
  type EventLog,
  type SequenceHead,
  type SubscribeOptions,
} from '@switchboard/events';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { startTestAgent } from '../test-helpers/test-agent.js';

/** A log that answers like a database-backed one (PostgreSQL): every method is asynchronous. */
class AsyncLog implements EventLog {
  readonly inner = new MemoryEventLog();
  async append(events: readonly AnyEvent[]): Promise<void> {
    await Promise.resolve();
    this.inner.append(events);
  }
  async read(sessionId: string, afterSeq?: number, limit?: number): Promise<AnyEvent[]> {
    await Promise.resolve();
    return this.inner.read(sessionId, afterSeq, limit);
  }
  async head(sessionId: string): Promise<SequenceHead> {
    await Promise.resolve();
    return this.inner.head(sessionId);
  }
  subscribe(sessionId: string, options?: SubscribeOptions): AsyncIterable<AnyEvent> {
    return this.inner.subscribe(sessionId, options);
  }
  async deleteSession(sessionId: string): Promise<number> {
    await Promise.resolve();
    return this.inner.deleteSession(sessionId);
  }
  close(): void {
    this.inner.close();
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-async-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an event log whose head() is asynchronous', () => {
  it('sessions created, loaded by another instance and imported continue the log without conflicts', async () => {
    const log = new AsyncLog();
    const file = path.join(dir, 'sessions.db');
    const errors: string[] = [];
    const onError = (error: { code: string }) => errors.push(error.code);
    await using first = await startTestAgent([{ text: 'One.' }], {
      store: new SqliteSessionStore({ path: file }),
      bus: new EventBus({ log, onError }),
    });
    const session = await first.agent.createSession();
    await session.run('hello').result;
    await session.idle();
    await first.agent.bus.flush();
    // Another instance (its own bus) on the same log and store, once the first one's lease ran out.
    await using second = await startTestAgent([{ text: 'Two.' }], {
      store: new SqliteSessionStore({ path: file, now: () => Date.now() + 60_000 }),
      bus: new EventBus({ log, onError }),
    });
    const again = await second.agent.loadSession(session.id);
    const result = await again.run('again').result;
    expect(result.stopReason).toBe('completed');
    await again.close();
    const imported = await second.agent.importSession(log.inner.read(session.id, 0, 10_000));
    await imported.close();
    await second.agent.close();
    expect(errors).toEqual([]);
    for (const id of [session.id, imported.id]) {
      const seqs = log.inner.read(id, 0, 10_000).map((event) => event.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    }
    // The reloaded session's events follow the first instance's, after a restored session.started.
    const types = log.inner.read(session.id, 0, 10_000).map((event) => event.type);
    expect(types.filter((type) => type === 'run.finished')).toHaveLength(2);
  });
});
