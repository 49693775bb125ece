// @switchboard/tracing-plugin: Langfuse traces from the @switchboard/events stream of an agent.
export { createLangfuseTracingPlugin } from './tracing-plugin.js';
export type { LangfuseTracingPlugin, TracingTarget } from './tracing-plugin.js';
export { tracingPluginOptionsSchema } from './tracing-options.js';
export type {
  ResolvedTracingPluginOptions,
  TracingLogger,
  TracingPluginOptions,
  TurnInfo,
} from './tracing-options.js';
export { toLangfuseUsage } from './payload/usage-details.js';
export type { LangfuseUsage } from './payload/usage-details.js';
export { BUILT_IN_SECRET_PATTERNS, createRedactor } from './payload/redactor.js';
export type { MaskFunction, RedactField } from './payload/redactor.js';
export { isSessionSampled } from './payload/sampling.js';
export { serializeForSpan } from './payload/serialize.js';
export { TRACING_ERROR_CODES, TracingError } from './errors/tracing-error.js';
export type { TracingErrorCode } from './errors/tracing-error.js';
export { replayEventLog } from './replay/replay-event-log.js';
export type { ReplayResult } from './replay/replay-event-log.js';
