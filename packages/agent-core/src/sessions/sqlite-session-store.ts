import Database from 'better-sqlite3';
import { z } from 'zod';
import { AgentCoreError, parseCoreOptions } from '../errors/agent-core-error.js';
import { parseStoredSnapshot } from './parse-stored-snapshot.js';
import { encodeCursor, foldCase, parseListOptions, type ListPosition } from './session-listing.js';
import { DEFAULT_LEASE_MS, mayTakeLease, sessionConflict, sessionLocked } from './session-lease.js';
import type {
  SessionCheckpoint,
  SessionLease,
  SessionListOptions,
  SessionPage,
  SessionSnapshot,
  SessionStore,
  StoredSessionInfo,
} from './session-snapshot.js';

/** What you pass to `new SqliteSessionStore(options)`. */
export interface SqliteSessionStoreOptions {
  /** Database file (created if missing), or `':memory:'`. */
  path: string;
  /** How long (ms) a write waits for another connection's lock. @default 5000 */
  busyTimeoutMs?: number;
  /** How long (ms) a writer's lease lasts unless renewed (a crashed writer's session is free after it). @default 30000 */
  leaseMs?: number;
  /** Clock of lease expiry (tests inject one). @default Date.now */
  now?: () => number;
}

const optionsSchema = z.object({
  path: z.string().min(1),
  busyTimeoutMs: z.number().int().nonnegative().default(5000),
  leaseMs: z.number().int().positive().default(DEFAULT_LEASE_MS),
  now: z.custom<() => number>((value) => typeof value === 'function').default(() => Date.now),
});

type HeaderRow = {
  snapshot: string;
  revision: number;
  lease_owner: string | null;
  lease_expires: number;
  entry_count: number;
};
type ListRow = {
  session_id: string;
  agent_name: string;
  title: string | null;
  title_source: string | null;
  model: string | null;
  created_at: number;
  updated_at: number;
  message_count: number;
  cost_usd: number | null;
  status: string;
};
type ListParams = {
  limit: number;
  hasAfter: 0 | 1;
  afterUpdatedAt: number;
  afterSessionId: string;
  q: string | null;
};

/**
 * The embedded, durable {@link SessionStore}: one SQLite file (better-sqlite3,
 * WAL). A session is a header row (everything but the transcript, plus its
 * revision and lease) and one row per transcript entry, so a checkpoint
 * writes the header and the new entries only: its cost does not grow with
 * the conversation. Each save is one transaction that checks the revision
 * and the lease first (compare-and-swap), so a crash leaves the old or the
 * new checkpoint, never half of one, and two writers can never both win. A
 * paused run (approvals, clarify) can be resumed by another process that
 * opens the file. Files of the first format (the whole snapshot in one
 * column) are migrated on open.
 *
 * ```ts
 * const agent = createAgent({ model, store: new SqliteSessionStore({ path: 'sessions.db' }) });
 * ```
 */
export class SqliteSessionStore implements SessionStore {
  readonly #db: Database.Database;
  readonly #leaseMs: number;
  readonly #now: () => number;
  readonly #header: Database.Statement<[string], HeaderRow>;
  readonly #entries: Database.Statement<[string], string>;
  readonly #list: Database.Statement<[ListParams], ListRow>;
  readonly #save: Database.Transaction<(checkpoint: SessionCheckpoint) => SessionLease>;
  readonly #acquire: Database.Transaction<
    (sessionId: string, owner: string) => SessionLease | undefined
  >;
  readonly #release: Database.Statement<[string, string]>;
  readonly #delete: Database.Transaction<(sessionId: string) => void>;

  constructor(options: SqliteSessionStoreOptions) {
    const resolved = parseCoreOptions(optionsSchema, options);
    this.#leaseMs = resolved.leaseMs;
    this.#now = resolved.now;
    try {
      this.#db = new Database(resolved.path, { timeout: resolved.busyTimeoutMs });
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
      // The same case folding as the memory store (JS, any script), for `q`.
      this.#db.function('switchboard_fold', { deterministic: true }, (text: unknown) =>
        typeof text === 'string' ? foldCase(text) : null,
      );
      migrate(this.#db);
    } catch (error) {
      throw storeFailed(`open ${resolved.path}`, error);
    }
    const db = this.#db;
    this.#header = db.prepare(
      `SELECT snapshot, revision, lease_owner, lease_expires, entry_count
       FROM switchboard_sessions WHERE session_id = ?`,
    );
    this.#entries = db
      .prepare<[string], string>(
        'SELECT entry FROM switchboard_session_entries WHERE session_id = ? ORDER BY position',
      )
      .pluck();
    // Keyset pagination on the (updated_at DESC, session_id) index: no OFFSET, no snapshot read.
    this.#list = db.prepare(
      `SELECT session_id, agent_name, title, title_source, model, created_at, updated_at,
         message_count, cost_usd, status
       FROM switchboard_sessions
       WHERE (@hasAfter = 0 OR updated_at < @afterUpdatedAt
           OR (updated_at = @afterUpdatedAt AND session_id > @afterSessionId))
         AND (@q IS NULL OR instr(switchboard_fold(title), @q) > 0)
       ORDER BY updated_at DESC, session_id ASC LIMIT @limit`,
    );
    const insert = db.prepare<[string, string, number, number, string, string, number]>(
      `INSERT INTO switchboard_sessions
         (session_id, agent_name, created_at, updated_at, snapshot, revision, lease_owner, lease_expires, entry_count)
       VALUES (?, ?, ?, ?, ?, 0, ?, ?, 0) ON CONFLICT (session_id) DO NOTHING`,
    );
    const update = db.prepare<
      [
        string,
        number,
        string,
        string,
        number,
        number,
        string | null,
        string | null,
        string | null,
        number,
        number | null,
        string,
        string,
      ]
    >(
      `UPDATE switchboard_sessions SET agent_name = ?, updated_at = ?, snapshot = ?,
         lease_owner = ?, lease_expires = ?, entry_count = ?, revision = revision + 1,
         title = ?, title_source = ?, model = ?, message_count = ?, cost_usd = ?, status = ?
       WHERE session_id = ?`,
    );
    const truncate = db.prepare<[string, number]>(
      'DELETE FROM switchboard_session_entries WHERE session_id = ? AND position >= ?',
    );
    const append = db.prepare<[string, number, string]>(
      'INSERT INTO switchboard_session_entries (session_id, position, entry) VALUES (?, ?, ?)',
    );
    const setLease = db.prepare<[string, number, string]>(
      'UPDATE switchboard_sessions SET lease_owner = ?, lease_expires = ? WHERE session_id = ?',
    );
    this.#release = db.prepare(
      `UPDATE switchboard_sessions SET lease_owner = NULL, lease_expires = 0
       WHERE session_id = ? AND lease_owner = ?`,
    );
    const removeSession = db.prepare<[string]>(
      'DELETE FROM switchboard_sessions WHERE session_id = ?',
    );
    const removeEntries = db.prepare<[string]>(
      'DELETE FROM switchboard_session_entries WHERE session_id = ?',
    );

    this.#save = db.transaction((checkpoint: SessionCheckpoint): SessionLease => {
      const { sessionId, owner } = checkpoint;
      const now = this.#now();
      const expiresAt = now + this.#leaseMs;
      if (checkpoint.baseRevision === 0) {
        const created = insert.run(
          sessionId,
          checkpoint.agentName,
          checkpoint.createdAt,
          checkpoint.updatedAt,
          checkpoint.header,
          owner,
          expiresAt,
        );
        if (created.changes === 0)
          throw sessionConflict(sessionId, 'a session with this id exists');
      }
      const row = this.#header.get(sessionId);
      if (!row) throw sessionConflict(sessionId, 'it was deleted');
      if (row.revision !== checkpoint.baseRevision)
        throw sessionConflict(
          sessionId,
          `it is at revision ${row.revision}, this handle wrote revision ${checkpoint.baseRevision}`,
        );
      const lease = { owner: row.lease_owner, expiresAt: row.lease_expires };
      if (lease.owner !== owner && !mayTakeLease(lease, owner, now))
        throw sessionConflict(sessionId, `its lease is held by ${lease.owner}`);
      if (checkpoint.from > row.entry_count)
        throw sessionConflict(sessionId, 'the checkpoint skips transcript entries');
      if (checkpoint.from < row.entry_count) truncate.run(sessionId, checkpoint.from);
      checkpoint.entries.forEach((entry, index) =>
        append.run(sessionId, checkpoint.from + index, entry),
      );
      const { listing } = checkpoint;
      update.run(
        checkpoint.agentName,
        checkpoint.updatedAt,
        checkpoint.header,
        owner,
        expiresAt,
        checkpoint.from + checkpoint.entries.length,
        listing.title ?? null,
        listing.titleSource ?? null,
        listing.model ?? null,
        listing.messageCount,
        listing.costUsd ?? null,
        listing.status,
        sessionId,
      );
      return { revision: row.revision + 1, expiresAt, ttlMs: this.#leaseMs };
    });
    this.#acquire = db.transaction((sessionId: string, owner: string) => {
      const row = this.#header.get(sessionId);
      if (!row) return undefined;
      const now = this.#now();
      const lease = { owner: row.lease_owner, expiresAt: row.lease_expires };
      if (!mayTakeLease(lease, owner, now)) throw sessionLocked(sessionId, lease);
      const expiresAt = now + this.#leaseMs;
      setLease.run(owner, expiresAt, sessionId);
      return { revision: row.revision, expiresAt, ttlMs: this.#leaseMs };
    });
    this.#delete = db.transaction((sessionId: string) => {
      removeEntries.run(sessionId);
      removeSession.run(sessionId);
    });
  }

  load(sessionId: string): Promise<SessionSnapshot | undefined> {
    return attempt(`load ${sessionId}`, () => {
      // One read transaction: the header and the entries of the same revision.
      const read = this.#db.transaction(() => {
        const row = this.#header.get(sessionId);
        return row
          ? { header: row.snapshot, revision: row.revision, entries: this.#entries.all(sessionId) }
          : undefined;
      });
      const stored = read();
      return stored ? parseStoredSnapshot(stored, sessionId) : undefined;
    });
  }

  save(checkpoint: SessionCheckpoint): Promise<SessionLease> {
    return attempt(`save ${checkpoint.sessionId}`, () => this.#save.immediate(checkpoint));
  }

  acquireLease(sessionId: string, owner: string): Promise<SessionLease | undefined> {
    return attempt(`lease ${sessionId}`, () => this.#acquire.immediate(sessionId, owner));
  }

  releaseLease(sessionId: string, owner: string): Promise<void> {
    return attempt(`release ${sessionId}`, () => {
      if (this.#db.open) this.#release.run(sessionId, owner);
    });
  }

  delete(sessionId: string): Promise<void> {
    return attempt(`delete ${sessionId}`, () => this.#delete.immediate(sessionId));
  }

  list(options: SessionListOptions = {}): Promise<SessionPage> {
    return attempt('list sessions', () => {
      const { limit, after, q } = parseListOptions(options);
      // One row more than asked: it tells whether a next page exists.
      const rows = this.#list.all({
        limit: limit === undefined ? -1 : limit + 1,
        hasAfter: after === undefined ? 0 : 1,
        afterUpdatedAt: after?.updatedAt ?? 0,
        afterSessionId: after?.sessionId ?? '',
        q: q ?? null,
      });
      const sessions = rows.slice(0, limit ?? rows.length).map(toInfo);
      const last: ListPosition | undefined = sessions.at(-1);
      return rows.length > sessions.length && last
        ? { sessions, nextCursor: encodeCursor(last) }
        : { sessions };
    });
  }

  /** `await using` support: the same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Closes the database file. Idempotent. */
  close(): Promise<void> {
    if (this.#db.open) this.#db.close();
    return Promise.resolve();
  }
}

/**
 * Creates the tables, or upgrades a file written by an earlier version, in
 * one write transaction (concurrent openers migrate once):
 *
 * 1. the first format (the whole snapshot JSON in `snapshot`): transcripts
 *    move to one row per entry and `snapshot` keeps the rest;
 * 2. no list columns: `title`, `title_source`, `model`, `message_count`,
 *    `cost_usd` and `status` are added and filled from the stored JSON, so
 *    `list` never reads a snapshot (`model` stays empty until the session is
 *    saved again: the snapshot does not record it).
 *
 * A row whose JSON is unreadable is left as it is: loading it reports
 * `CORE_SESSION_CORRUPT`, as before.
 */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS switchboard_sessions (
      session_id TEXT PRIMARY KEY,
      agent_name TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      snapshot TEXT NOT NULL
    ) STRICT`);
    db.exec(`CREATE TABLE IF NOT EXISTS switchboard_session_entries (
      session_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      entry TEXT NOT NULL,
      PRIMARY KEY (session_id, position)
    ) STRICT, WITHOUT ROWID`);
    const columns = new Set(
      (db.pragma('table_info(switchboard_sessions)') as Array<{ name: string }>).map(
        (column) => column.name,
      ),
    );
    if (!columns.has('revision')) splitTranscripts(db);
    if (!columns.has('message_count')) addListColumns(db);
  }).immediate();
}

/** Step 1: one row per transcript entry, a revision, a lease and the entry count. */
function splitTranscripts(db: Database.Database): void {
  db.exec(`ALTER TABLE switchboard_sessions ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE switchboard_sessions ADD COLUMN lease_owner TEXT;
    ALTER TABLE switchboard_sessions ADD COLUMN lease_expires INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE switchboard_sessions ADD COLUMN entry_count INTEGER NOT NULL DEFAULT 0;`);
  const rows = db
    .prepare<[], { session_id: string; snapshot: string }>(
      'SELECT session_id, snapshot FROM switchboard_sessions',
    )
    .all();
  const append = db.prepare<[string, number, string]>(
    'INSERT INTO switchboard_session_entries (session_id, position, entry) VALUES (?, ?, ?)',
  );
  const setHeader = db.prepare<[string, number, string]>(
    'UPDATE switchboard_sessions SET snapshot = ?, entry_count = ? WHERE session_id = ?',
  );
  for (const row of rows) {
    let value: { transcript?: unknown };
    try {
      value = JSON.parse(row.snapshot) as { transcript?: unknown };
    } catch {
      continue;
    }
    const transcript = Array.isArray(value?.transcript) ? (value.transcript as unknown[]) : [];
    transcript.forEach((entry, index) => append.run(row.session_id, index, JSON.stringify(entry)));
    delete value.transcript;
    setHeader.run(JSON.stringify(value), transcript.length, row.session_id);
  }
}

/**
 * Step 2: the columns `list` reads, filled from the stored JSON once (the
 * message count with the rule of `countMessages`), and the index of its order.
 */
function addListColumns(db: Database.Database): void {
  db.exec(`ALTER TABLE switchboard_sessions ADD COLUMN title TEXT;
    ALTER TABLE switchboard_sessions ADD COLUMN title_source TEXT;
    ALTER TABLE switchboard_sessions ADD COLUMN model TEXT;
    ALTER TABLE switchboard_sessions ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE switchboard_sessions ADD COLUMN cost_usd REAL;
    ALTER TABLE switchboard_sessions ADD COLUMN status TEXT NOT NULL DEFAULT 'idle';
    DROP INDEX IF EXISTS switchboard_sessions_updated;
    CREATE INDEX switchboard_sessions_recent
      ON switchboard_sessions (updated_at DESC, session_id ASC);`);
  db.exec(`UPDATE switchboard_sessions SET
      title = json_extract(snapshot, '$.title'),
      title_source = json_extract(snapshot, '$.titleSource'),
      cost_usd = json_extract(snapshot, '$.totals.costUsd'),
      status = coalesce(json_extract(snapshot, '$.status'), 'idle'),
      message_count = (
        SELECT count(*) FROM switchboard_session_entries AS e
        WHERE e.session_id = switchboard_sessions.session_id
          AND json_valid(e.entry)
          AND json_extract(e.entry, '$.message.role') IN ('user', 'assistant')
          AND coalesce(json_extract(e.entry, '$.display.source'), '') NOT IN ('summary', 'nudge'))
    WHERE json_valid(snapshot)`);
}

function toInfo(row: ListRow): StoredSessionInfo {
  return {
    sessionId: row.session_id,
    agentName: row.agent_name,
    ...(row.title == null ? {} : { title: row.title }),
    ...(isTitleSource(row.title_source) ? { titleSource: row.title_source } : {}),
    ...(row.model == null ? {} : { model: row.model }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messageCount: row.message_count,
    ...(row.cost_usd == null ? {} : { costUsd: row.cost_usd }),
    status: isStatus(row.status) ? row.status : 'idle',
  };
}

const TITLE_SOURCES = new Set(['user', 'model', 'fallback']);
const STATUSES = new Set(['idle', 'running', 'awaiting_input', 'closed']);

function isTitleSource(
  value: string | null,
): value is NonNullable<StoredSessionInfo['titleSource']> {
  return value != null && TITLE_SOURCES.has(value);
}

function isStatus(value: string): value is StoredSessionInfo['status'] {
  return STATUSES.has(value);
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
