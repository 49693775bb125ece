import {
  createAgent,
  type Agent,
  type AgentOptions,
  type SessionStore,
} from '@switchboard/agent-core';
import type { SwitchboardConfig } from '@switchboard/agent-core/config';
import { EventBus, type EventLog } from '@switchboard/events';
import { noModelError } from '../errors/cli-error.js';
import { createCliTools } from '../tools/cli-tools.js';
import { openAgentStores } from './open-stores.js';

/** The agent's name: the same as the web app's, so a session reads the same in both. */
export const AGENT_NAME = 'switchboard';

/** What {@link openCliAgent} needs besides the configuration. */
export interface OpenCliAgentOptions {
  /** The working directory (tools) and the environment (commands, the model's variables). */
  cwd: string;
  env: Record<string, string | undefined>;
  /** Give the agent the built-in tools (`--no-tools` turns them off). @default true */
  tools?: boolean;
  /** Model calls per run (`--max-turns`). */
  maxTurns?: number;
  /** The built-in question tool: on in `chat`, off in `run` (nobody can answer a one-shot run). */
  clarify: boolean;
  /** Errors reported rather than thrown (hooks, sinks, tracing). */
  onError: (error: Error) => void;
}

/** An open agent with its stores; `close()` flushes and closes everything, sessions stay stored. */
export interface CliAgent {
  agent: Agent;
  bus: EventBus;
  log: EventLog;
  store: SessionStore;
  close(): Promise<void>;
}

/**
 * The CLI's agent, composed like the web app's: the configured model
 * (`loadConfig`), sessions in `SqliteSessionStore` at `stores.sessionsDb`
 * and every event in `SqliteEventLog` at `stores.eventsDb`, both under
 * SWITCHBOARD_HOME, so a session started here continues in the browser and
 * back (the session lease keeps one writer at a time); with
 * `SWITCHBOARD_DATABASE_URL` set, both live in PostgreSQL instead (shared by
 * every instance). Langfuse tracing is
 * attached when both keys are configured.
 *
 * Sessions are never `close()`d here: that ends a session for good. A
 * process that exits gives its lease up (the store hands a dead process's
 * sessions over at once).
 */
export async function openCliAgent(
  config: SwitchboardConfig,
  options: OpenCliAgentOptions,
): Promise<CliAgent> {
  // Before anything is opened or created: say how to set one, in the CLI's words.
  if (config.agent.model === undefined) throw noModelError();
  const stores = await openAgentStores(config, options.onError);
  const { log, store } = stores;
  const bus = new EventBus({ log, onError: options.onError });
  const agentOptions: AgentOptions = {
    name: AGENT_NAME,
    platform: 'cli',
    ...config.agent,
    store,
    bus,
    onError: options.onError,
    clarify: options.clarify ? undefined : false,
    ...(options.tools === false
      ? {}
      : { tools: createCliTools({ cwd: options.cwd, env: options.env }) }),
    ...(options.maxTurns === undefined ? {} : { maxTurns: options.maxTurns }),
  };
  let agent: Agent;
  try {
    agent = createAgent(agentOptions);
  } catch (error) {
    // A model the configuration cannot resolve (no model, no key): nothing stays open.
    await bus.close();
    await stores.close();
    throw error;
  }
  let tracing: { shutdown(): Promise<void> } | undefined;
  const langfuse = config.tracing.langfuse;
  if (langfuse) {
    const { createLangfuseTracingPlugin } = await import('@switchboard/tracing-plugin');
    const plugin = createLangfuseTracingPlugin({
      ...langfuse,
      env: config.agent.env,
      logger: {
        warn: (message, error) =>
          options.onError(error instanceof Error ? error : new Error(message)),
      },
    });
    plugin.attach(agent);
    tracing = plugin;
  }
  return {
    agent,
    bus,
    log,
    store,
    async close() {
      await agent.close();
      await tracing?.shutdown();
      await bus.close();
      await stores.close();
    },
  };
}
