import { parseStoredSnapshot } from './parse-stored-snapshot.js';
import { pageOf, parseListOptions } from './session-listing.js';
import {
  DEFAULT_LEASE_MS,
  mayTakeLease,
  sessionConflict,
  sessionLocked,
  type StoredLease,
} from './session-lease.js';
import type {
  SessionCheckpoint,
  SessionLease,
  SessionListOptions,
  SessionListing,
  SessionPage,
  SessionSnapshot,
  SessionStore,
} from './session-snapshot.js';

/** What you pass to `new MemorySessionStore(options)`. */
export interface MemorySessionStoreOptions {
  /** How long (ms) a writer's lease lasts unless renewed. @default 30000 */
  leaseMs?: number;
  /** Clock of lease expiry (tests inject one). @default Date.now */
  now?: () => number;
}

interface Row {
  header: string;
  /** One JSON text per transcript entry: a checkpoint appends, it never re-serializes the past. */
  entries: string[];
  revision: number;
  lease: StoredLease;
  createdAt: number;
  updatedAt: number;
  agentName: string;
  listing: SessionListing;
}

/**
 * A {@link SessionStore} in process memory: the default, lost on exit. It
 * keeps serialized copies (a header and one JSON text per transcript entry),
 * so a snapshot changed after `save` does not change what is stored, a
 * checkpoint costs only what changed, and `load` validates exactly like the
 * SQLite store does. Leases and revisions work as in the SQLite store, so two
 * handles on one session in a process cannot both write.
 */
export class MemorySessionStore implements SessionStore {
  readonly #rows = new Map<string, Row>();
  readonly #leaseMs: number;
  readonly #now: () => number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#now = options.now ?? Date.now;
  }

  load(sessionId: string): Promise<SessionSnapshot | undefined> {
    return attempt(() => {
      const row = this.#rows.get(sessionId);
      return row ? parseStoredSnapshot(row, sessionId) : undefined;
    });
  }

  save(checkpoint: SessionCheckpoint): Promise<SessionLease> {
    return attempt(() => {
      const { sessionId } = checkpoint;
      const now = this.#now();
      const lease = { owner: checkpoint.owner, expiresAt: now + this.#leaseMs };
      let row = this.#rows.get(sessionId);
      if (checkpoint.baseRevision === 0) {
        if (row) throw sessionConflict(sessionId, 'a session with this id exists');
        row = { ...checkpoint, entries: [], revision: 0, lease };
        this.#rows.set(sessionId, row);
      }
      if (!row) throw sessionConflict(sessionId, 'it was deleted');
      if (row.revision !== checkpoint.baseRevision)
        throw sessionConflict(
          sessionId,
          `it is at revision ${row.revision}, this handle wrote revision ${checkpoint.baseRevision}`,
        );
      if (row.lease.owner !== checkpoint.owner && !mayTakeLease(row.lease, checkpoint.owner, now))
        throw sessionConflict(sessionId, `its lease is held by ${row.lease.owner}`);
      if (checkpoint.from > row.entries.length)
        throw sessionConflict(sessionId, 'the checkpoint skips transcript entries');
      row.entries.length = checkpoint.from;
      row.entries.push(...checkpoint.entries);
      row.header = checkpoint.header;
      row.revision += 1;
      row.lease = lease;
      row.updatedAt = checkpoint.updatedAt;
      row.agentName = checkpoint.agentName;
      row.listing = checkpoint.listing;
      return { revision: row.revision, expiresAt: lease.expiresAt, ttlMs: this.#leaseMs };
    });
  }

  acquireLease(sessionId: string, owner: string): Promise<SessionLease | undefined> {
    return attempt(() => {
      const row = this.#rows.get(sessionId);
      if (!row) return undefined;
      const now = this.#now();
      if (!mayTakeLease(row.lease, owner, now)) throw sessionLocked(sessionId, row.lease);
      row.lease = { owner, expiresAt: now + this.#leaseMs };
      return { revision: row.revision, expiresAt: row.lease.expiresAt, ttlMs: this.#leaseMs };
    });
  }

  releaseLease(sessionId: string, owner: string): Promise<void> {
    const row = this.#rows.get(sessionId);
    if (row?.lease.owner === owner) row.lease = { owner: null, expiresAt: 0 };
    return Promise.resolve();
  }

  delete(sessionId: string): Promise<void> {
    this.#rows.delete(sessionId);
    return Promise.resolve();
  }

  list(options: SessionListOptions = {}): Promise<SessionPage> {
    return attempt(() =>
      pageOf(
        [...this.#rows].map(([sessionId, row]) => ({
          sessionId,
          agentName: row.agentName,
          ...structuredClone(row.listing),
          createdAt: row.createdAt,
          updatedAt: row.updatedAt,
        })),
        parseListOptions(options),
      ),
    );
  }
}

/** Runs a store operation, turning a throw into a rejected promise. */
function attempt<T>(operation: () => T): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
