import type { SwitchboardConfig } from '@switchboard/agent-core/config';
import { createLangfuseTracingPlugin } from '@switchboard/tracing-plugin';
import type { WebuiPlugin } from '@switchboard/webui-server';
import type { Logger } from 'pino';

/**
 * Langfuse tracing as a webui-server plugin, when both `LANGFUSE_PUBLIC_KEY`
 * and `LANGFUSE_SECRET_KEY` are configured (`undefined` otherwise). The
 * server never imports the tracing package: it gets this plugin, attaches
 * it to the agent, reports `features.tracing`, and calls `close()` (which
 * exports what is left, bounded, and never rejects) after the bus is
 * flushed on shutdown.
 */
export function langfuseWebuiPlugin(
  config: SwitchboardConfig,
  options: { env: Record<string, string>; log: Logger },
): WebuiPlugin | undefined {
  const langfuse = config.tracing.langfuse;
  if (!langfuse) return undefined;
  const tracing = createLangfuseTracingPlugin({
    ...langfuse,
    env: options.env,
    logger: {
      warn: (message, error) => options.log.warn({ err: error }, message),
      debug: (message, error) => options.log.debug({ err: error }, message),
    },
  });
  return {
    name: 'langfuse-tracing',
    features: ['tracing'],
    attach: (agent) => tracing.attach(agent),
    close: () => tracing.shutdown(),
  };
}
