import { PostgresDatabase } from './database/postgres-database.js';
import type { PostgresDatabaseOptions } from './database/postgres-options.js';
import { PostgresEventLog } from './event-log/postgres-event-log.js';
import { PostgresSessionStore } from './session-store/postgres-session-store.js';

/** An event log and a session store on one database, and how to close them. */
export interface PostgresStores {
  database: PostgresDatabase;
  eventLog: PostgresEventLog;
  sessionStore: PostgresSessionStore;
  /** Closes the log, the store and the database. */
  close(): Promise<void>;
}

/**
 * Opens the event log and the session store on one database and migrates
 * the schema before resolving, so a bad URL or an unreachable server fails
 * at start (`PG_CONNECTION_LOST` after the retries, `PG_MIGRATION_FAILED`).
 *
 * ```ts
 * const stores = await openPostgresStores({ connectionString: process.env.SWITCHBOARD_DATABASE_URL! });
 * ```
 */
export async function openPostgresStores(
  options: PostgresDatabaseOptions & { leaseMs?: number },
): Promise<PostgresStores> {
  const { leaseMs, ...connection } = options;
  const database = new PostgresDatabase(connection);
  try {
    await database.ready();
  } catch (error) {
    await database.close();
    throw error;
  }
  const eventLog = new PostgresEventLog({ database });
  const sessionStore = new PostgresSessionStore({
    database,
    ...(leaseMs === undefined ? {} : { leaseMs }),
  });
  return {
    database,
    eventLog,
    sessionStore,
    close: async () => {
      await eventLog.close();
      await sessionStore.close();
      await database.close();
    },
  };
}
