import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  createAgent,
  SqliteSessionStore,
  type Agent,
  type AgentOptions,
  type SessionStore,
} from '@switchboard/agent-core';
import type { SwitchboardConfig } from '@switchboard/agent-core/config';
import { EventBus, type EventLog } from '@switchboard/events';
import { SqliteEventLog } from '@switchboard/events/node';
import { WebuiServerError } from '../errors/webui-server-error.js';

/** The agent and the stores it was opened with; `close()` after the server has closed. */
export interface OpenedAgent {
  agent: Agent;
  /** Flushes and closes the agent, its bus, the event log and the session store, in that order. */
  close(): Promise<void>;
}

/** Shared-database stores, as `openPostgresStores` of `@switchboard/postgres` opens them. */
export interface DatabaseStores {
  eventLog: EventLog;
  sessionStore: SessionStore;
  close(): Promise<void>;
}

/**
 * Opens the stores of `stores.databaseUrl`: `openPostgresStores` of
 * `@switchboard/postgres`, injected by the apps (this package never imports
 * it, so a SQLite deployment never loads a database client).
 */
export type DatabaseStoresFactory = (options: {
  connectionString: string;
  onError: (error: Error) => void;
  /** Session lease time (`stores.leaseMs`, default 30 s). */
  leaseMs?: number;
}) => Promise<DatabaseStores>;

/** What {@link openAgent} needs besides the configuration. */
export interface OpenAgentOptions {
  /** Errors the agent and the bus report rather than throw (hooks, sinks). */
  onError: (error: Error) => void;
  /** Opens the shared database's stores when `stores.databaseUrl` is set. */
  databaseStores?: DatabaseStoresFactory;
  /** More agent options (tools, instructions), for an app that embeds the web app. */
  agent?: Pick<AgentOptions, 'name' | 'instructions' | 'tools' | 'toolSources'>;
  /** The agent's `platform`. @default 'webui' */
  platform?: string;
}

/**
 * The web app's agent, as configured (`loadConfig`), with durable state
 * under `SWITCHBOARD_HOME`: sessions in `SqliteSessionStore`
 * (`stores.sessionsDb`) and every event in `SqliteEventLog`
 * (`stores.eventsDb`), so streams resume across restarts and a run cut off
 * by a crash comes back `interrupted` with what it streamed. With
 * `stores.databaseUrl` (`SWITCHBOARD_DATABASE_URL`) both live in PostgreSQL
 * instead, shared by every instance behind a load balancer (see the root
 * README's "Scaling out"); the web server itself does not know which.
 *
 * `undefined` when no model is configured: the server then runs without
 * an agent and nothing is created on disk.
 */
export async function openAgent(
  config: SwitchboardConfig,
  options: OpenAgentOptions,
): Promise<OpenedAgent | undefined> {
  if (config.agent.model === undefined) return undefined;
  const stores = await openStores(config, options);
  const { log, store } = stores;
  const bus = new EventBus({ log, onError: options.onError });
  let agent: Agent;
  try {
    agent = createAgent({
      name: 'switchboard',
      platform: options.platform ?? 'webui',
      ...config.agent,
      store,
      bus,
      onError: options.onError,
      ...options.agent,
    });
  } catch (error) {
    // A model the configuration cannot resolve (no key, no base URL): nothing stays open.
    await stores.close();
    throw error;
  }
  return {
    agent,
    async close() {
      await agent.close();
      await bus.close();
      await stores.close();
    },
  };
}

/**
 * PostgreSQL when `stores.databaseUrl` is set (schema migrated first; an
 * unreachable server fails the start, after the retries), else the SQLite
 * files under SWITCHBOARD_HOME.
 */
async function openStores(
  config: SwitchboardConfig,
  { onError, databaseStores }: OpenAgentOptions,
): Promise<{ log: EventLog; store: SessionStore; close(): Promise<void> }> {
  const { databaseUrl, sessionsDb, eventsDb, leaseMs } = config.stores;
  const lease = leaseMs === undefined ? {} : { leaseMs };
  if (databaseUrl !== undefined) {
    if (databaseStores === undefined) {
      throw new WebuiServerError({
        code: 'WEBUI_NO_DATABASE_SUPPORT',
        message:
          'SWITCHBOARD_DATABASE_URL is set, but this server was started without a database driver.',
        hint: 'Pass databaseStores (openPostgresStores of @switchboard/postgres) to startWebServer, or unset SWITCHBOARD_DATABASE_URL to use SQLite.',
      });
    }
    const stores = await databaseStores({ connectionString: databaseUrl, onError, ...lease });
    return { log: stores.eventLog, store: stores.sessionStore, close: () => stores.close() };
  }
  for (const file of [sessionsDb, eventsDb]) mkdirSync(path.dirname(file), { recursive: true });
  const log = new SqliteEventLog({ path: eventsDb });
  const store = new SqliteSessionStore({ path: sessionsDb, ...lease });
  return {
    log,
    store,
    async close() {
      log.close();
      await store.close();
    },
  };
}
