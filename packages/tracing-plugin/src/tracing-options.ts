import type { TracerProvider } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { envSchema } from '@switchboard/events/internal';
import { z } from 'zod';
import type { MaskFunction } from './payload/redactor.js';

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `expected ${what} (a function)` });
const object = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'object' && value != null, {
    message: `expected ${what}`,
  });

/** What the plugin tells its host about (a missing key, a failed export). Never thrown. */
export interface TracingLogger {
  warn(message: string, error?: unknown): void;
  debug?(message: string, error?: unknown): void;
}

/** Details of a turn, for a custom trace name. */
export interface TurnInfo {
  sessionId: string;
  turn: number;
  agentName: string;
}

/** Options of {@link createLangfuseTracingPlugin}, parsed once. */
export const tracingPluginOptionsSchema = z.object({
  /** Langfuse public key. @default env LANGFUSE_PUBLIC_KEY */
  publicKey: z.string().min(1).optional(),
  /** Langfuse secret key. @default env LANGFUSE_SECRET_KEY */
  secretKey: z.string().min(1).optional(),
  /** Langfuse URL. @default env LANGFUSE_BASE_URL, then LANGFUSE_HOST, then https://cloud.langfuse.com */
  baseUrl: z.url().optional(),
  /** Environment variables to read (`process.env` or any object of strings). @default process.env */
  env: envSchema.optional(),
  /** `langfuse.environment`. @default env LANGFUSE_TRACING_ENVIRONMENT */
  environment: z
    .string()
    .regex(
      /^(?!langfuse)[a-z0-9_-]+$/,
      'lowercase letters, digits, _ and -, not starting with "langfuse"',
    )
    .optional(),
  /** `langfuse.release`. @default env LANGFUSE_RELEASE */
  release: z.string().optional(),
  /** User id on every trace when the session has none (`session.started.userId` wins). */
  userId: z.string().optional(),
  /** Tags on every trace (`agent:<name>` is added). */
  tags: z.array(z.string().max(200)).default([]),
  /** Trace name of a turn. @default `${agentName} — Turn ${turn}` */
  traceName: fn<(turn: TurnInfo) => string>('a trace name builder').optional(),
  /** The one metadata key every detail is namespaced under. @default 'switchboard' */
  metadataKey: z
    .string()
    .regex(/^[a-zA-Z0-9_]+$/)
    .default('switchboard'),
  /** Largest serialised field (characters); longer ones are cut with a visible marker. @default 100000 */
  maxChars: z.number().int().min(100).default(100_000),
  /**
   * Sessions remembered (turn numbers, user ids, open turns). Past it, the
   * least recently used session without an open turn is forgotten; if it comes
   * back its turns count from 1 again. @default 10000
   */
  maxSessions: z.number().int().positive().default(10_000),
  /** Extra secret patterns, redacted from every payload before it is serialised. */
  redactPatterns: z.array(z.instanceof(RegExp)).default([]),
  /** Last word on every string sent (after the patterns). */
  mask: fn<MaskFunction>('a mask function').optional(),
  /** Share of sessions traced, decided per session id (deterministic). @default 1 */
  sampleRate: z.number().min(0).max(1).default(1),
  /** `batched` (default) or `immediate` (one request per span; short CLI runs). */
  exportMode: z.enum(['batched', 'immediate']).default('batched'),
  /** Spans per export batch. @default 512 */
  flushAt: z.number().int().positive().optional(),
  /** Seconds between scheduled exports. @default 5 */
  flushIntervalSeconds: z.number().positive().optional(),
  /** HTTP timeout of one export, seconds. @default 5 */
  timeoutSeconds: z.number().positive().default(5),
  /**
   * Turn boundaries export within this delay (the trace header shows while
   * the turn runs); one export serves every boundary inside it. @default 100
   */
  flushDelayMs: z.number().int().nonnegative().default(100),
  /** Cap on each background flush and on `flush()`. @default 5000 */
  flushTimeoutMs: z.number().int().positive().default(5_000),
  /** Replaces the OTLP/HTTP JSON exporter (e.g. the protobuf one). */
  exporter: object<SpanExporter>('a SpanExporter').optional(),
  /** Extra headers on every export request. */
  additionalHeaders: z.record(z.string(), z.string()).optional(),
  /**
   * Use the host's OpenTelemetry provider instead of the plugin's own (the
   * host then owns export, e.g. with a LangfuseSpanProcessor). No keys needed.
   */
  tracerProvider: object<TracerProvider>('a TracerProvider').optional(),
  /** Where warnings go. @default console.warn, once per distinct problem */
  logger: object<TracingLogger>('a logger').optional(),
  /** Turn tracing off without removing the plugin. @default true */
  enabled: z.boolean().default(true),
});

/** What you pass to {@link createLangfuseTracingPlugin}. */
export type TracingPluginOptions = z.input<typeof tracingPluginOptionsSchema>;
/** Options after parsing. */
export type ResolvedTracingPluginOptions = z.output<typeof tracingPluginOptionsSchema>;
