import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { LANGFUSE_SDK_VERSION, LANGFUSE_TRACER_NAME } from '@langfuse/core';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { TracingError } from '../errors/tracing-error.js';
import type { ResolvedTracingPluginOptions } from '../tracing-options.js';

/** Where spans go: a tracer and the means to push and stop what it buffered. */
export interface SpanRuntime {
  tracer: Tracer;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Builds the span pipeline: by default the plugin's own `BasicTracerProvider`
 * with a `LangfuseSpanProcessor` (OTLP/HTTP to Langfuse). It registers
 * nothing global (no global provider, context manager or Langfuse tracer
 * slot), so the host's OpenTelemetry setup is left alone. With
 * `tracerProvider`, spans go to the host's provider instead and the host
 * owns export. Throws `TRACING_NO_CREDENTIALS` or `TRACING_INIT_FAILED`.
 */
export function createSpanRuntime(
  options: ResolvedTracingPluginOptions,
  env: Record<string, string | undefined>,
): SpanRuntime {
  if (options.tracerProvider) return hostRuntime(options.tracerProvider);
  const publicKey = options.publicKey ?? env.LANGFUSE_PUBLIC_KEY;
  const secretKey = options.secretKey ?? env.LANGFUSE_SECRET_KEY;
  if (!publicKey || !secretKey) {
    throw new TracingError({
      code: 'TRACING_NO_CREDENTIALS',
      message:
        'Langfuse tracing is off: set LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY (and LANGFUSE_BASE_URL for a self-hosted Langfuse), or pass publicKey and secretKey.',
    });
  }
  const baseUrl =
    options.baseUrl ??
    env.LANGFUSE_BASE_URL ??
    env.LANGFUSE_BASEURL ??
    env.LANGFUSE_HOST ??
    'https://cloud.langfuse.com';
  const environment = options.environment ?? env.LANGFUSE_TRACING_ENVIRONMENT;
  const release = options.release ?? env.LANGFUSE_RELEASE;
  try {
    const processor = new LangfuseSpanProcessor({
      publicKey,
      secretKey,
      baseUrl,
      exportMode: options.exportMode,
      timeout: options.timeoutSeconds,
      mediaUploadEnabled: false,
      ...(options.flushAt === undefined ? {} : { flushAt: options.flushAt }),
      ...(options.flushIntervalSeconds === undefined
        ? {}
        : { flushInterval: options.flushIntervalSeconds }),
      ...(environment ? { environment } : {}),
      ...(release ? { release } : {}),
      ...(options.exporter ? { exporter: options.exporter } : {}),
      ...(options.additionalHeaders ? { additionalHeaders: options.additionalHeaders } : {}),
    });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    return {
      tracer: provider.getTracer(LANGFUSE_TRACER_NAME, LANGFUSE_SDK_VERSION),
      forceFlush: () => processor.forceFlush(),
      shutdown: () => provider.shutdown(),
    };
  } catch (error) {
    throw new TracingError({
      code: 'TRACING_INIT_FAILED',
      message: `The Langfuse exporter could not be set up: ${(error as Error)?.message ?? String(error)}`,
      cause: error,
    });
  }
}

function hostRuntime(provider: TracerProvider): SpanRuntime {
  const flushable = provider as TracerProvider & { forceFlush?: () => Promise<void> };
  return {
    tracer: provider.getTracer(LANGFUSE_TRACER_NAME, LANGFUSE_SDK_VERSION),
    forceFlush: () => flushable.forceFlush?.() ?? Promise.resolve(),
    // The host owns its provider: shutting it down is the host's call.
    shutdown: () => flushable.forceFlush?.() ?? Promise.resolve(),
  };
}
