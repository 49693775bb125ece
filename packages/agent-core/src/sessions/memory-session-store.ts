import { parseStoredSnapshot } from './parse-stored-snapshot.js';
import type { SessionSnapshot, SessionStore, StoredSessionInfo } from './session-snapshot.js';

/**
 * A {@link SessionStore} in process memory: the default, lost on exit. It
 * keeps serialized copies, so a snapshot changed after `save` does not change
 * what is stored, and `load` validates exactly like the SQLite store does.
 */
export class MemorySessionStore implements SessionStore {
  readonly #rows = new Map<string, { json: string; updatedAt: number; agentName: string }>();

  load(sessionId: string): Promise<SessionSnapshot | undefined> {
    const row = this.#rows.get(sessionId);
    return Promise.resolve(row ? parseStoredSnapshot(row.json, sessionId) : undefined);
  }

  save(snapshot: SessionSnapshot): Promise<void> {
    this.#rows.set(snapshot.sessionId, {
      json: JSON.stringify(snapshot),
      updatedAt: snapshot.updatedAt,
      agentName: snapshot.agentName,
    });
    return Promise.resolve();
  }

  delete(sessionId: string): Promise<void> {
    this.#rows.delete(sessionId);
    return Promise.resolve();
  }

  list(options: { limit?: number } = {}): Promise<StoredSessionInfo[]> {
    const all = [...this.#rows]
      .map(([sessionId, row]) => ({
        sessionId,
        updatedAt: row.updatedAt,
        agentName: row.agentName,
      }))
      .sort((a, b) => b.updatedAt - a.updatedAt);
    return Promise.resolve(all.slice(0, options.limit ?? all.length));
  }
}
