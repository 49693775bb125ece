import type { Agent } from '@switchboard/agent-core';
import type { LangfuseSettings, SwitchboardConfig } from '@switchboard/agent-core/config';
import type { FastifyBaseLogger } from 'fastify';
import type { WebuiPlugin } from '../server/webui-plugin.js';

/**
 * The shape of `createLangfuseTracingPlugin` (`@switchboard/tracing-plugin`),
 * which the apps inject: this package never imports the tracing package.
 */
export type TracingFactory = (
  options: LangfuseSettings & {
    env: Record<string, string>;
    logger: {
      warn(message: string, error?: unknown): void;
      debug(message: string, error?: unknown): void;
    };
  },
) => { attach(agent: Agent): () => void; shutdown(): Promise<void> };

/**
 * Langfuse tracing as a server plugin, when both Langfuse keys are
 * configured (`undefined` otherwise): attached to the agent, reported as
 * `features.tracing`, and shut down (what is left exported, bounded) after
 * the bus is flushed on close.
 */
export function tracingPlugin(
  factory: TracingFactory,
  config: SwitchboardConfig,
  log: FastifyBaseLogger,
): WebuiPlugin | undefined {
  const langfuse = config.tracing.langfuse;
  if (!langfuse) return undefined;
  const tracing = factory({
    ...langfuse,
    env: config.agent.env,
    logger: {
      warn: (message, error) => log.warn({ err: error }, message),
      debug: (message, error) => log.debug({ err: error }, message),
    },
  });
  return {
    name: 'langfuse-tracing',
    features: ['tracing'],
    attach: (agent) => tracing.attach(agent),
    close: () => tracing.shutdown(),
  };
}
