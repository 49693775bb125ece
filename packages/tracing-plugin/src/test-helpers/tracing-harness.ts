import { createAgent, type Agent, type AgentOptions } from '@switchboard/agent-core';
import {
  startLangfuseReceiver,
  startModelServer,
  type LangfuseReceiver,
  type ModelServer,
  type ReceivedSpan,
} from '@switchboard/testkit';
import type { TracingError } from '../errors/tracing-error.js';
import { createLangfuseTracingPlugin, type LangfuseTracingPlugin } from '../tracing-plugin.js';
import type { TracingPluginOptions } from '../tracing-options.js';

type Script = Parameters<typeof startModelServer>[0]['script'];

/** A receiver, a scripted model server, an agent and the plugin attached to it. */
export interface TracingHarness {
  receiver: LangfuseReceiver;
  server: ModelServer;
  agent: Agent;
  plugin: LangfuseTracingPlugin;
  warnings: Array<{ message: string; error?: TracingError }>;
  /** Runs one turn to its end in a session (new unless given) and flushes the plugin. */
  turn(text: string, session?: Awaited<ReturnType<Agent['createSession']>>): Promise<void>;
  /** The spans named `name` (first by default). */
  span(name: string): ReceivedSpan;
  spans(): ReceivedSpan[];
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Everything real and on loopback: the agent talks to the testkit model
 * server through @ai-sdk/openai-compatible, the plugin exports through
 * @langfuse/otel's OTLP exporter to the testkit Langfuse receiver.
 */
export async function startTracingHarness(
  script: Script,
  options: { plugin?: TracingPluginOptions; agent?: Partial<AgentOptions> } = {},
): Promise<TracingHarness> {
  const receiver = await startLangfuseReceiver();
  const server = await startModelServer({ script });
  const warnings: TracingHarness['warnings'] = [];
  const plugin = createLangfuseTracingPlugin({
    publicKey: 'pk-lf-test',
    secretKey: 'sk-lf-test',
    baseUrl: receiver.baseUrl,
    env: {},
    userId: 'user-1',
    environment: 'test',
    release: 'r42',
    logger: { warn: (message, error) => warnings.push({ message, error: error as TracingError }) },
    ...options.plugin,
  });
  const agent = createAgent({
    name: 'tester',
    model: 'openai-compatible:test-model',
    env: { SWITCHBOARD_BASE_URL: server.baseUrl },
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    ...options.agent,
  });
  plugin.attach(agent);
  const spans = () => receiver.spans();
  return {
    receiver,
    server,
    agent,
    plugin,
    warnings,
    async turn(text, session) {
      const target = session ?? (await agent.createSession());
      await target.run(text).result;
      await agent.bus.flush();
      await plugin.flush();
    },
    spans,
    span(name) {
      const found = spans().find((span) => span.name === name);
      if (!found)
        throw new Error(
          `no span "${name}" among: ${spans()
            .map((s) => s.name)
            .join(', ')}`,
        );
      return found;
    },
    async [Symbol.asyncDispose]() {
      await plugin.shutdown();
      await agent.close();
      await server.close();
      await receiver.close();
    },
  };
}

/** The namespaced metadata of a span, parsed. */
export function metadataOf(span: ReceivedSpan, key = 'switchboard'): Record<string, unknown> {
  const raw = span.attributes[`langfuse.observation.metadata.${key}`];
  return typeof raw === 'string' ? (JSON.parse(raw) as Record<string, unknown>) : {};
}
