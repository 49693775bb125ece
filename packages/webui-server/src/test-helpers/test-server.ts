import { createAgent, type Agent, type AgentOptions } from '@switchboard/agent-core';
import {
  EventBus,
  MemoryEventLog,
  type AgentEvent,
  type AnyEvent,
  type EventLog,
  type EventType,
} from '@switchboard/events';
import { startModelServer } from '@switchboard/testkit';
import { createServer, type WebuiServer } from '../server/create-server.js';
import type { ServerOptions } from '../server/server-options.js';

type Script = Parameters<typeof startModelServer>[0]['script'];

/** What {@link startTestServer} gives a test. */
export interface TestServer {
  server: WebuiServer;
  agent: Agent;
  log: MemoryEventLog;
  model: Awaited<ReturnType<typeof startModelServer>>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * The testkit's loopback model server with `script`, an agent that talks to
 * it through the real OpenAI-compatible provider (events into an in-memory
 * log), and a webui server around that agent (not listening yet).
 */
export async function startTestServer(
  script: Script,
  options: {
    agent?: Partial<AgentOptions>;
    server?: Partial<ServerOptions>;
    /** One clock for the agent and its bus (event `ts`). */
    now?: () => number;
  } = {},
): Promise<TestServer> {
  const model = await startModelServer({ script });
  const log = new MemoryEventLog();
  let ids = 0;
  const agent = createAgent({
    name: 'tester',
    model: 'openai-compatible:test-model',
    env: { SWITCHBOARD_BASE_URL: model.baseUrl },
    retry: { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 50 },
    bus: new EventBus({ log, ...(options.now ? { now: options.now } : {}) }),
    generateId: (prefix) => `${prefix}_${++ids}`,
    // No session-title call after the first exchange: tests count model calls and events.
    titles: { enabled: false },
    ...(options.now ? { now: options.now } : {}),
    ...options.agent,
  });
  const server = await createServer({ agent, logger: false, port: 0, ...options.server });
  return {
    server,
    agent,
    log,
    model,
    async [Symbol.asyncDispose]() {
      await server.close();
      await agent.close();
      await agent.bus.close();
      await model.close();
    },
  };
}

/** Headers of a JSON request as a same-origin browser page would send them. */
export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** The first stored event of a session matching `predicate` (waits for it; fails after 10 s). */
export async function waitForEvent(
  log: EventLog,
  sessionId: string,
  predicate: (event: AnyEvent) => boolean,
): Promise<AnyEvent> {
  const timeoutMs = 10_000;
  const signal = AbortSignal.timeout(timeoutMs);
  for await (const event of log.subscribe(sessionId, { signal }))
    if (predicate(event)) return event;
  throw new Error(`no matching event of ${sessionId} within ${timeoutMs} ms`);
}

/** Stored events of a session, in order. */
export async function storedEvents(log: EventLog, sessionId: string): Promise<AnyEvent[]> {
  return log.read(sessionId, 0, 100_000);
}

/** A predicate for the terminal event of a run. */
export const runEnded = (runId: string) => (event: AnyEvent) =>
  event.runId === runId && (event.type === 'run.finished' || event.type === 'run.failed');

/** A type guard for events of `type`, so tests read `data` typed: `events.filter(ofType('message.delta'))`. */
export const ofType =
  <T extends EventType>(type: T) =>
  (event: AnyEvent): event is AgentEvent<T> =>
    event.type === type;

/** `data` of a stored event as a plain record (for events read without a type guard). */
export const dataOf = (event: AnyEvent): Record<string, unknown> =>
  typeof event.data === 'object' && event.data != null ? { ...event.data } : {};
