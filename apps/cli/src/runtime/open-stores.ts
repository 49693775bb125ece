import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { SqliteSessionStore, type SessionStore } from '@switchboard/agent-core';
import type { SwitchboardConfig } from '@switchboard/agent-core/config';
import type { EventLog } from '@switchboard/events';
import { SqliteEventLog } from '@switchboard/events/node';

/** The session store and the event log, without an agent (no model needed). */
export interface CliStores {
  store: SessionStore;
  /** Undefined when no event log file exists yet. */
  log: EventLog | undefined;
  close(): Promise<void>;
}

/**
 * The stores an agent writes: PostgreSQL when `stores.databaseUrl`
 * (`SWITCHBOARD_DATABASE_URL`) is set (the schema is migrated first; an
 * unreachable server fails here, after the retries), else the SQLite files
 * `stores.sessionsDb` and `stores.eventsDb` under SWITCHBOARD_HOME.
 */
export async function openAgentStores(
  config: SwitchboardConfig,
  onError: (error: Error) => void,
): Promise<{ store: SessionStore; log: EventLog; close(): Promise<void> }> {
  const { databaseUrl, sessionsDb, eventsDb, leaseMs } = config.stores;
  const lease = leaseMs === undefined ? {} : { leaseMs };
  if (databaseUrl !== undefined) {
    // Loaded only when configured: SQLite users never load the PostgreSQL client.
    const { openPostgresStores } = await import('@switchboard/postgres');
    const stores = await openPostgresStores({ connectionString: databaseUrl, onError, ...lease });
    return { store: stores.sessionStore, log: stores.eventLog, close: () => stores.close() };
  }
  for (const file of [sessionsDb, eventsDb]) mkdirSync(path.dirname(file), { recursive: true });
  const log = new SqliteEventLog({ path: eventsDb });
  const store = new SqliteSessionStore({ path: sessionsDb, ...lease });
  return {
    store,
    log,
    async close() {
      log.close();
      await store.close();
    },
  };
}

/**
 * Opens the stores the web app and `run`/`chat` write, for reading and
 * deleting. Undefined when there is no SQLite session store yet: nothing is
 * created just to find it empty.
 */
export async function openStores(config: SwitchboardConfig): Promise<CliStores | undefined> {
  if (config.stores.databaseUrl !== undefined) return openAgentStores(config, () => {});
  if (!existsSync(config.stores.sessionsDb)) return undefined;
  const store = new SqliteSessionStore({ path: config.stores.sessionsDb });
  const log = existsSync(config.stores.eventsDb)
    ? new SqliteEventLog({ path: config.stores.eventsDb })
    : undefined;
  return {
    store,
    log,
    async close() {
      log?.close();
      await store.close();
    },
  };
}
