import { existsSync } from 'node:fs';
import { SqliteSessionStore } from '@switchboard/agent-core';
import type { SwitchboardConfig } from '@switchboard/agent-core/config';
import { SqliteEventLog } from '@switchboard/events/node';

/** The session store and the event log, without an agent (no model needed). */
export interface CliStores {
  store: SqliteSessionStore;
  /** Undefined when no event log file exists yet. */
  log: SqliteEventLog | undefined;
  close(): Promise<void>;
}

/**
 * Opens the stores the web app and `run`/`chat` write (`stores.sessionsDb`,
 * `stores.eventsDb`), for reading and deleting. Undefined when there is no
 * session store yet: nothing is created just to find it empty.
 */
export function openStores(config: SwitchboardConfig): CliStores | undefined {
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
