import Database from 'better-sqlite3';
import { parseOptions } from '@switchboard/events';
import { z } from 'zod';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { parseStoredSnapshot } from './parse-stored-snapshot.js';
import type { SessionSnapshot, SessionStore, StoredSessionInfo } from './session-snapshot.js';

/** What you pass to `new SqliteSessionStore(options)`. */
export interface SqliteSessionStoreOptions {
  /** Database file (created if missing), or `':memory:'`. */
  path: string;
  /** How long (ms) a write waits for another connection's lock. @default 5000 */
  busyTimeoutMs?: number;
}

const optionsSchema = z.object({
  path: z.string().min(1),
  busyTimeoutMs: z.number().int().nonnegative().default(5000),
});

type Row = { snapshot: string };
type ListRow = { session_id: string; updated_at: number; agent_name: string };

/**
 * The embedded, durable {@link SessionStore}: one SQLite file (better-sqlite3,
 * WAL). `save` replaces a session's snapshot in one statement, so a crash
 * leaves either the old or the new snapshot, never half of one; a paused run
 * (approvals, clarify) can be resumed by another process that opens the file.
 *
 * ```ts
 * const agent = createAgent({ model, store: new SqliteSessionStore({ path: 'sessions.db' }) });
 * ```
 */
export class SqliteSessionStore implements SessionStore {
  readonly #db: Database.Database;
  readonly #load: Database.Statement<[string], Row>;
  readonly #save: Database.Statement<[string, string, number, number, string]>;
  readonly #delete: Database.Statement<[string]>;
  readonly #list: Database.Statement<[number], ListRow>;

  constructor(options: SqliteSessionStoreOptions) {
    const resolved = parseOptions(optionsSchema, options, 'CORE_INVALID_OPTIONS');
    try {
      this.#db = new Database(resolved.path, { timeout: resolved.busyTimeoutMs });
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
      this.#db.exec(`CREATE TABLE IF NOT EXISTS switchboard_sessions (
        session_id TEXT PRIMARY KEY,
        agent_name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        snapshot TEXT NOT NULL
      ) STRICT`);
      this.#db.exec(
        'CREATE INDEX IF NOT EXISTS switchboard_sessions_updated ON switchboard_sessions (updated_at DESC)',
      );
    } catch (error) {
      throw storeFailed(`open ${resolved.path}`, error);
    }
    this.#load = this.#db.prepare('SELECT snapshot FROM switchboard_sessions WHERE session_id = ?');
    this.#save = this.#db.prepare(
      `INSERT INTO switchboard_sessions (session_id, agent_name, created_at, updated_at, snapshot)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET
         agent_name = excluded.agent_name, updated_at = excluded.updated_at, snapshot = excluded.snapshot`,
    );
    this.#delete = this.#db.prepare('DELETE FROM switchboard_sessions WHERE session_id = ?');
    this.#list = this.#db.prepare(
      'SELECT session_id, updated_at, agent_name FROM switchboard_sessions ORDER BY updated_at DESC LIMIT ?',
    );
  }

  load(sessionId: string): Promise<SessionSnapshot | undefined> {
    return attempt(`load ${sessionId}`, () => {
      const row = this.#load.get(sessionId);
      return row ? parseStoredSnapshot(row.snapshot, sessionId) : undefined;
    });
  }

  save(snapshot: SessionSnapshot): Promise<void> {
    return attempt(`save ${snapshot.sessionId}`, () => {
      this.#save.run(
        snapshot.sessionId,
        snapshot.agentName,
        snapshot.createdAt,
        snapshot.updatedAt,
        JSON.stringify(snapshot),
      );
    });
  }

  delete(sessionId: string): Promise<void> {
    return attempt(`delete ${sessionId}`, () => {
      this.#delete.run(sessionId);
    });
  }

  list(options: { limit?: number } = {}): Promise<StoredSessionInfo[]> {
    return attempt('list sessions', () =>
      this.#list.all(options.limit ?? -1).map((row) => ({
        sessionId: row.session_id,
        updatedAt: row.updated_at,
        agentName: row.agent_name,
      })),
    );
  }

  /** Closes the database file. Idempotent. */
  close(): Promise<void> {
    if (this.#db.open) this.#db.close();
    return Promise.resolve();
  }
}

/** Runs a synchronous store operation, turning driver failures into a stable code (a rejected promise). */
function attempt<T>(what: string, operation: () => T): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(error instanceof AgentCoreError ? error : storeFailed(what, error));
  }
}

function storeFailed(what: string, cause: unknown): AgentCoreError {
  return new AgentCoreError({
    code: 'CORE_SESSION_STORE_FAILED',
    message: `Session store: cannot ${what}: ${(cause as Error)?.message ?? String(cause)}`,
    hint: 'Check that the database path is writable and not locked by another program.',
    cause,
  });
}
