import {
  DEFAULT_LEASE_MS,
  encodeCursor,
  foldCase,
  mayTakeLease,
  parseListOptions,
  parseStoredSnapshot,
  sessionConflict,
  sessionLocked,
  type SessionCheckpoint,
  type SessionLease,
  type SessionListOptions,
  type SessionPage,
  type SessionSnapshot,
  type SessionStore,
} from '@switchboard/agent-core';
import type pg from 'pg';
import { z } from 'zod';
import { PostgresDatabase } from '../database/postgres-database.js';
import { postgresDatabaseOptionsSchema } from '../database/postgres-options.js';
import { parsePostgresOptions, PostgresError } from '../errors/postgres-error.js';
import { toInfo, type ListRow } from './list-row.js';

const optionsSchema = z.object({
  /** A shared database (the event log may use the same); the store does not close it. */
  database: z.instanceof(PostgresDatabase).optional(),
  /** Or connection options: the store opens (and closes) its own. */
  connection: postgresDatabaseOptionsSchema.optional(),
  /** How long (ms) a writer's lease lasts unless renewed (a crashed writer's session is free after it). @default 30000 */
  leaseMs: z.number().int().positive().default(DEFAULT_LEASE_MS),
  /** Clock of lease expiry; every instance's clock must agree (NTP). @default Date.now */
  now: z.custom<() => number>((value) => typeof value === 'function').default(() => Date.now),
});

/** What you pass to `new PostgresSessionStore(options)`: `database` or `connection`. */
export type PostgresSessionStoreOptions = z.input<typeof optionsSchema>;

type HeaderRow = {
  snapshot: string;
  revision: string;
  lease_owner: string | null;
  lease_expires: string;
  entry_count: number;
};

const HEADER = `SELECT snapshot, revision, lease_owner, lease_expires, entry_count
  FROM switchboard_sessions WHERE session_id = $1`;

/**
 * The {@link SessionStore} on PostgreSQL, with the same semantics as
 * agent-core's `SqliteSessionStore` (same helpers, same codes): a header row
 * per session (revision, lease owner + expiry, list columns) and one row per
 * transcript entry, so a checkpoint writes the header and the new entries
 * only. `save` and `acquireLease` lock the session's row (`FOR UPDATE`) and
 * check revision and lease in the same transaction, so across every
 * instance one writer holds a session at a time; a writer that dies loses
 * its lease after `leaseMs` and another instance takes the session over.
 *
 * ```ts
 * const store = new PostgresSessionStore({ database });
 * const agent = createAgent({ model, store, bus: new EventBus({ log }) });
 * ```
 */
export class PostgresSessionStore implements SessionStore {
  readonly #database: PostgresDatabase;
  readonly #ownsDatabase: boolean;
  readonly #leaseMs: number;
  readonly #now: () => number;

  constructor(options: PostgresSessionStoreOptions) {
    const resolved = parsePostgresOptions(optionsSchema, options);
    if (!resolved.database && !resolved.connection)
      throw new PostgresError({
        code: 'PG_INVALID_OPTIONS',
        message:
          'Invalid options: pass a PostgresDatabase as `database` or connection options as `connection`.',
      });
    this.#ownsDatabase = !resolved.database;
    this.#database = resolved.database ?? new PostgresDatabase(resolved.connection!);
    this.#leaseMs = resolved.leaseMs;
    this.#now = resolved.now;
  }

  /** The database this store uses. */
  get database(): PostgresDatabase {
    return this.#database;
  }

  async load(sessionId: string): Promise<SessionSnapshot | undefined> {
    // One transaction (repeatable read): the header and the entries of the same revision.
    const stored = await this.#database.transaction(`load ${sessionId}`, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<HeaderRow>(HEADER, [sessionId]);
      const row = rows[0];
      if (!row) return undefined;
      const entries = await client.query<{ entry: string }>(
        'SELECT entry FROM switchboard_session_entries WHERE session_id = $1 ORDER BY position',
        [sessionId],
      );
      return {
        header: row.snapshot,
        revision: Number(row.revision),
        entries: entries.rows.map((entry) => entry.entry),
      };
    });
    return stored ? parseStoredSnapshot(stored, sessionId) : undefined;
  }

  save(checkpoint: SessionCheckpoint): Promise<SessionLease> {
    return this.#database.transaction(`save ${checkpoint.sessionId}`, (client) =>
      this.#save(client, checkpoint),
    );
  }

  acquireLease(sessionId: string, owner: string): Promise<SessionLease | undefined> {
    return this.#database.transaction(`lease ${sessionId}`, async (client) => {
      const row = await lockHeader(client, sessionId);
      if (!row) return undefined;
      const now = this.#now();
      const lease = { owner: row.lease_owner, expiresAt: Number(row.lease_expires) };
      if (!mayTakeLease(lease, owner, now)) throw sessionLocked(sessionId, lease);
      const expiresAt = now + this.#leaseMs;
      await client.query(
        'UPDATE switchboard_sessions SET lease_owner = $1, lease_expires = $2 WHERE session_id = $3',
        [owner, expiresAt, sessionId],
      );
      return { revision: Number(row.revision), expiresAt, ttlMs: this.#leaseMs };
    });
  }

  async releaseLease(sessionId: string, owner: string): Promise<void> {
    if (this.#database.closed) return;
    await this.#database.query(`release ${sessionId}`, [
      `UPDATE switchboard_sessions SET lease_owner = NULL, lease_expires = 0
       WHERE session_id = $1 AND lease_owner = $2`,
      [sessionId, owner],
    ]);
  }

  async delete(sessionId: string): Promise<void> {
    await this.#database.transaction(`delete ${sessionId}`, async (client) => {
      await client.query('DELETE FROM switchboard_session_entries WHERE session_id = $1', [
        sessionId,
      ]);
      await client.query('DELETE FROM switchboard_sessions WHERE session_id = $1', [sessionId]);
    });
  }

  async list(options: SessionListOptions = {}): Promise<SessionPage> {
    const { limit, after, q } = parseListOptions(options);
    // Keyset pagination on (updated_at DESC, session_id); one row more tells whether a page follows.
    const { rows } = await this.#database.query<ListRow>('list sessions', [
      `SELECT session_id, agent_name, title, title_source, model, created_at, updated_at,
         message_count, cost_usd, status
       FROM switchboard_sessions
       WHERE ($1::boolean IS FALSE OR updated_at < $2
           OR (updated_at = $2 AND session_id COLLATE "C" > $3))
         AND ($4::text IS NULL OR strpos(title_folded, $4) > 0)
       ORDER BY updated_at DESC, session_id COLLATE "C" ASC
       LIMIT $5`,
      [
        after !== undefined,
        after?.updatedAt ?? 0,
        after?.sessionId ?? '',
        q ?? null,
        limit === undefined ? null : limit + 1,
      ],
    ]);
    const sessions = rows.slice(0, limit ?? rows.length).map(toInfo);
    const last = sessions.at(-1);
    return rows.length > sessions.length && last
      ? { sessions, nextCursor: encodeCursor(last) }
      : { sessions };
  }

  /** `await using` support: the same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Closes the database if the store opened it. Idempotent. */
  async close(): Promise<void> {
    if (this.#ownsDatabase) await this.#database.close();
  }

  async #save(client: pg.PoolClient, checkpoint: SessionCheckpoint): Promise<SessionLease> {
    const { sessionId, owner, listing } = checkpoint;
    const now = this.#now();
    const expiresAt = now + this.#leaseMs;
    if (checkpoint.baseRevision === 0) {
      const created = await client.query(
        `INSERT INTO switchboard_sessions
           (session_id, agent_name, created_at, updated_at, snapshot, revision, lease_owner, lease_expires, entry_count)
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7, 0) ON CONFLICT (session_id) DO NOTHING`,
        [
          sessionId,
          checkpoint.agentName,
          checkpoint.createdAt,
          checkpoint.updatedAt,
          checkpoint.header,
          owner,
          expiresAt,
        ],
      );
      if (created.rowCount === 0) throw sessionConflict(sessionId, 'a session with this id exists');
    }
    const row = await lockHeader(client, sessionId);
    if (!row) throw sessionConflict(sessionId, 'it was deleted');
    const revision = Number(row.revision);
    if (revision !== checkpoint.baseRevision)
      throw sessionConflict(
        sessionId,
        `it is at revision ${revision}, this handle wrote revision ${checkpoint.baseRevision}`,
      );
    const lease = { owner: row.lease_owner, expiresAt: Number(row.lease_expires) };
    if (lease.owner !== owner && !mayTakeLease(lease, owner, now))
      throw sessionConflict(sessionId, `its lease is held by ${lease.owner}`);
    if (checkpoint.from > row.entry_count)
      throw sessionConflict(sessionId, 'the checkpoint skips transcript entries');
    if (checkpoint.from < row.entry_count)
      await client.query(
        'DELETE FROM switchboard_session_entries WHERE session_id = $1 AND position >= $2',
        [sessionId, checkpoint.from],
      );
    if (checkpoint.entries.length > 0)
      await client.query(
        `INSERT INTO switchboard_session_entries (session_id, position, entry)
         SELECT $1, $2 + n - 1, entry FROM unnest($3::text[]) WITH ORDINALITY AS e(entry, n)`,
        [sessionId, checkpoint.from, checkpoint.entries],
      );
    await client.query(
      `UPDATE switchboard_sessions SET agent_name = $1, updated_at = $2, snapshot = $3,
         lease_owner = $4, lease_expires = $5, entry_count = $6, revision = revision + 1,
         title = $7, title_folded = $8, title_source = $9, model = $10, message_count = $11,
         cost_usd = $12, status = $13
       WHERE session_id = $14`,
      [
        checkpoint.agentName,
        checkpoint.updatedAt,
        checkpoint.header,
        owner,
        expiresAt,
        checkpoint.from + checkpoint.entries.length,
        listing.title ?? null,
        listing.title === undefined ? null : foldCase(listing.title),
        listing.titleSource ?? null,
        listing.model ?? null,
        listing.messageCount,
        listing.costUsd ?? null,
        listing.status,
        sessionId,
      ],
    );
    return { revision: revision + 1, expiresAt, ttlMs: this.#leaseMs };
  }
}

/** The session's header row, locked for this transaction (`undefined` for no such session). */
async function lockHeader(
  client: pg.PoolClient,
  sessionId: string,
): Promise<HeaderRow | undefined> {
  const { rows } = await client.query<HeaderRow>(`${HEADER} FOR UPDATE`, [sessionId]);
  return rows[0];
}
