import type { AnyEvent, EventBus } from '@switchboard/events';
import { parseTracingOptions, TracingError } from './errors/tracing-error.js';
import { createRedactor } from './payload/redactor.js';
import { createSpanRuntime, type SpanRuntime } from './runtime/langfuse-runtime.js';
import { TraceBuilder } from './trace/trace-builder.js';
import {
  tracingPluginOptionsSchema,
  type TracingLogger,
  type TracingPluginOptions,
} from './tracing-options.js';

/** Anything with an event bus: an `Agent` from `@switchboard/agent-core`, or a bus itself. */
export type TracingTarget = { bus: Pick<EventBus, 'on'> } | Pick<EventBus, 'on'>;

/** The plugin: attach it to agents, then flush or shut it down. */
export interface LangfuseTracingPlugin {
  readonly name: 'langfuse-tracing';
  /** Traces every event of the target's bus from now on. Returns a function that detaches it. */
  attach(target: TracingTarget): () => void;
  /** Traces one event (what `attach` does per event; replay uses it directly). Never throws. */
  handle(event: AnyEvent): void;
  /** Waits for every pending export (bounded by `flushTimeoutMs`). Never rejects. */
  flush(): Promise<void>;
  /** Ends open turns, exports everything and stops. Idempotent; never rejects. */
  shutdown(): Promise<void>;
  /** `await using` support: the same as `shutdown()`. */
  [Symbol.asyncDispose](): Promise<void>;
  /**
   * False when tracing is off (disabled, no keys, failed set-up, shut down).
   * Reading it sets the exporter up if no turn has yet.
   */
  readonly active: boolean;
}

/**
 * Langfuse tracing for Switchboard agents, built on `@langfuse/otel` and
 * OpenTelemetry with its own tracer provider. It reads only the
 * `@switchboard/events` stream, so it traces live agents (`attach`) and
 * recorded event logs (`replayEventLog`) the same way.
 *
 * Nothing it does can throw into, block or slow the agent: handlers are
 * synchronous and in-memory, exports run in the background with a timeout,
 * and failures are reported to the logger once per kind of problem.
 *
 * ```ts
 * const tracing = createLangfuseTracingPlugin({ tags: ['prod'] }); // keys from LANGFUSE_* env
 * tracing.attach(agent);
 * // … on exit:
 * await tracing.shutdown();
 * ```
 */
export function createLangfuseTracingPlugin(
  options: TracingPluginOptions = {},
): LangfuseTracingPlugin {
  const resolved = parseTracingOptions(tracingPluginOptionsSchema, options);
  const env = resolved.env ?? process.env;
  const logger: TracingLogger = resolved.logger ?? {
    // Node's warning channel: shown once per problem, silenced with --no-warnings.
    warn: (message, error) =>
      process.emitWarning(message, {
        type: 'SwitchboardTracingWarning',
        ...(error instanceof TracingError ? { code: error.code } : {}),
      }),
  };
  const reported = new Set<string>();
  /** Each kind of problem is reported once: a dead endpoint must not flood the host's logs. */
  const report = (error: TracingError) => {
    if (reported.has(error.code)) {
      logger.debug?.(error.message, error);
      return;
    }
    reported.add(error.code);
    logger.warn(error.message, error);
  };
  const redact = createRedactor({
    patterns: resolved.redactPatterns,
    ...(resolved.mask ? { mask: resolved.mask } : {}),
  });

  let runtime: SpanRuntime | undefined;
  let initFailed = !resolved.enabled;
  let stopped = false;
  const pending = new Set<Promise<void>>();
  /** Lazily built on the first turn; a failure is remembered, never retried per event. */
  const getRuntime = (): SpanRuntime | undefined => {
    if (runtime || initFailed || stopped) return runtime;
    try {
      runtime = createSpanRuntime(resolved, env);
    } catch (error) {
      initFailed = true;
      report(
        error instanceof TracingError
          ? error
          : new TracingError({ code: 'TRACING_INIT_FAILED', message: String(error), cause: error }),
      );
    }
    return runtime;
  };
  const withTimeout = (work: Promise<void>) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        report(
          new TracingError({
            code: 'TRACING_EXPORT_FAILED',
            message: `Exporting to Langfuse took longer than ${resolved.flushTimeoutMs} ms; it goes on in the background.`,
          }),
        );
        resolve();
      }, resolved.flushTimeoutMs);
      timer.unref();
      work.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error: unknown) => {
          clearTimeout(timer);
          report(
            new TracingError({
              code: 'TRACING_EXPORT_FAILED',
              message: `Exporting to Langfuse failed: ${(error as Error)?.message ?? String(error)}`,
              retryable: true,
              cause: error,
            }),
          );
          resolve();
        },
      );
    });
  /** Background export: never awaited by an event handler. */
  const flushInBackground = () => {
    const current = runtime;
    if (!current) return;
    let flush: Promise<void>;
    try {
      flush = current.forceFlush();
    } catch (error) {
      flush = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const tracked = withTimeout(flush).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  /**
   * Turn boundaries ask for an export within `flushDelayMs`: one timer
   * serves every boundary that falls inside it, so a burst of short turns
   * costs one request, not two per turn, and the header still shows promptly.
   */
  let flushTimer: NodeJS.Timeout | undefined;
  const scheduleFlush = () => {
    if (flushTimer || !runtime) return;
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      flushInBackground();
    }, resolved.flushDelayMs);
    flushTimer.unref();
  };

  const builder = new TraceBuilder({
    tracer: () => getRuntime()?.tracer,
    redact,
    maxChars: resolved.maxChars,
    maxSessions: resolved.maxSessions,
    metadataKey: resolved.metadataKey,
    sampleRate: resolved.sampleRate,
    tags: resolved.tags,
    userId: resolved.userId,
    traceName: resolved.traceName ?? (({ agentName, turn }) => `${agentName} — Turn ${turn}`),
    onTurnBoundary: scheduleFlush,
  });

  const handle = (event: AnyEvent) => {
    if (stopped || initFailed) return;
    try {
      builder.handle(event);
    } catch (error) {
      report(
        new TracingError({
          code: 'TRACING_HANDLER_FAILED',
          message: `Tracing ${event.type} (seq ${event.seq}) failed: ${(error as Error)?.message ?? String(error)}`,
          cause: error,
        }),
      );
    }
  };

  const flush = async () => {
    if (flushTimer) {
      clearTimeout(flushTimer);
      flushTimer = undefined;
    }
    await Promise.allSettled([...pending]);
    if (runtime) await withTimeout(runtime.forceFlush());
  };

  let shuttingDown: Promise<void> | undefined;
  const plugin: LangfuseTracingPlugin = {
    name: 'langfuse-tracing',
    get active() {
      return !stopped && getRuntime() !== undefined;
    },
    attach(target) {
      const bus = 'bus' in target ? target.bus : target;
      return bus.on('*', handle);
    },
    handle,
    flush,
    shutdown() {
      shuttingDown ??= (async () => {
        try {
          builder.closeAll('tracing shut down');
        } catch (error) {
          report(
            new TracingError({
              code: 'TRACING_HANDLER_FAILED',
              message: String(error),
              cause: error,
            }),
          );
        }
        await flush();
        stopped = true;
        if (runtime) await withTimeout(runtime.shutdown());
      })();
      return shuttingDown;
    },
    [Symbol.asyncDispose]: () => plugin.shutdown(),
  };
  return plugin;
}
