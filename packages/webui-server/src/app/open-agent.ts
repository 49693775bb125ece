import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  createAgent,
  SqliteSessionStore,
  type Agent,
  type AgentOptions,
} from '@switchboard/agent-core';
import type { SwitchboardConfig } from '@switchboard/agent-core/config';
import { EventBus } from '@switchboard/events';
import { SqliteEventLog } from '@switchboard/events/node';

/** The agent and the stores it was opened with; `close()` after the server has closed. */
export interface OpenedAgent {
  agent: Agent;
  /** Flushes and closes the agent, its bus, the event log and the session store, in that order. */
  close(): Promise<void>;
}

/** What {@link openAgent} needs besides the configuration. */
export interface OpenAgentOptions {
  /** Errors the agent and the bus report rather than throw (hooks, sinks). */
  onError: (error: Error) => void;
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
 * by a crash comes back `interrupted` with what it streamed.
 *
 * `undefined` when no model is configured: the server then runs without
 * an agent and nothing is created on disk.
 */
export async function openAgent(
  config: SwitchboardConfig,
  options: OpenAgentOptions,
): Promise<OpenedAgent | undefined> {
  if (config.agent.model === undefined) return undefined;
  const { sessionsDb, eventsDb } = config.stores;
  for (const file of [sessionsDb, eventsDb]) mkdirSync(path.dirname(file), { recursive: true });
  const log = new SqliteEventLog({ path: eventsDb });
  const bus = new EventBus({ log, onError: options.onError });
  const store = new SqliteSessionStore({ path: sessionsDb });
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
    log.close();
    await store.close();
    throw error;
  }
  return {
    agent,
    async close() {
      await agent.close();
      await bus.close();
      log.close();
      await store.close();
    },
  };
}
