import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { startTestAgent } from '../test-helpers/test-agent.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sb-core-dispose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// `await using` must leave nothing open: the session gives up its lease (so the
// next handle can take it at once), the store closes its database file.
describe('Symbol.asyncDispose', () => {
  it('closes the session, then the store, at the end of the block', async () => {
    const store = new SqliteSessionStore({ path: path.join(dir, 'sessions.db') });
    await using served = await startTestAgent([{ text: 'hello' }], { store });
    let sessionId: string;
    {
      await using session = await served.agent.createSession();
      sessionId = session.id;
      await session.run('hi').result;
      expect(session.status).not.toBe('closed');
    }
    // Disposed means closed for good and saved so, with the lease given up:
    // a new handle opens it at once (a held lease would throw CORE_SESSION_LOCKED).
    {
      await using again = await served.agent.loadSession(sessionId);
      expect(again.status).toBe('closed');
    }
    {
      await using closing = store;
      expect((await closing.list()).sessions).toHaveLength(1);
    }
    await expect(store.list()).rejects.toThrow();
  });
});
