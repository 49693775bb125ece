import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { EventBus } from '@switchboard/events';
import { envSchema } from '@switchboard/events/internal';
import { z } from 'zod';
import type { HookHandlers } from '../hooks/agent-hooks.js';
import { modelInfoTableSchema } from '../models/model-info.js';
import { redactOptionsSchema } from '../models/redact-secrets.js';
import type { ProviderSettings } from '../models/resolve-model.js';
import type { SessionStore } from '../sessions/session-snapshot.js';
import type { AgentTool, ToolSource } from '../tools/agent-tool.js';
import type { PriceTable } from '../usage/price-table.js';
import type { HandoffTarget } from '../loop/run-state.js';

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `expected ${what} (a function)` });
const object = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'object' && value != null, {
    message: `expected ${what}`,
  });

/** A model: a `provider:model` string or any AI SDK `LanguageModelV3`. */
const modelRefSchema = z.union([
  z.string().min(1),
  object<LanguageModelV3>('a LanguageModelV3 or a "provider:model" string'),
]);

/** Options of {@link createAgent}, parsed once. */
export const agentOptionsSchema = z.object({
  /** Shown in traces and events ("<name> — Turn N"). */
  name: z.string().min(1).default('agent'),
  /** System prompt, or a function of the session that builds it. */
  instructions: z
    .union([
      z.string(),
      fn<(session: { sessionId: string }) => string | Promise<string>>('an instructions builder'),
    ])
    .default(''),
  /**
   * The model, then ordered fallbacks tried when it keeps failing.
   * Strings: `openai:<m>`, `anthropic:<m>`, `openai-compatible:<m>`, `ollama:<m>`.
   */
  model: modelRefSchema.optional(),
  fallbackModels: z.array(modelRefSchema).default([]),
  /**
   * More model strings a session may use (`createSession({ model })`,
   * `session.setModel()`), besides `model`, which stays the default. The
   * list is closed: any other model is refused (`CORE_MODEL_NOT_ALLOWED`).
   * Each is resolved when the agent is created. @default []
   */
  models: z.array(z.string().min(1)).default([]),
  /** Provider credentials and URLs; environment variables fill the gaps (see README). */
  providers: object<Omit<ProviderSettings, 'env'>>('provider settings').optional(),
  /** Tools by name. */
  tools: z
    .record(z.string(), object<AgentTool<never, unknown>>('a tool (see defineTool)'))
    .default({}),
  /** Tool providers discovered at run time (MCP servers). */
  toolSources: z.array(object<ToolSource>('a ToolSource')).default([]),
  /** Model calls allowed per run before `loop.budget_exhausted`. @default 90 */
  maxTurns: z.number().int().positive().default(90),
  /** Loop-stuck detection; `false` turns it off. */
  stuck: z
    .union([
      z.literal(false),
      z.object({
        /** Same tool with the same arguments this many times in a run counts as stuck. @default 3 */
        repeats: z.number().int().min(2).default(3),
        /** Consecutive steps whose tool calls all failed that count as no progress. @default 5 */
        failedSteps: z.number().int().min(2).default(5),
        /** Nudges injected before the run is stopped. @default 1 */
        maxNudges: z.number().int().nonnegative().default(1),
      }),
    ])
    .default({ repeats: 3, failedSteps: 5, maxNudges: 1 }),
  /** Default per-call tool timeout in ms (a tool's own `timeoutMs` wins). @default 300000 */
  toolTimeoutMs: z.number().int().positive().default(300_000),
  /**
   * A model call that sends nothing for this long (before its first part or
   * between parts) is aborted as `CORE_PROVIDER_NO_RESPONSE`: retried, or
   * the step fails keeping what streamed. @default 120000
   */
  modelIdleTimeoutMs: z.number().int().positive().default(120_000),
  /**
   * Tool calls run per model step. Calls past it are not run: each gets a
   * failed result (`CORE_TOOL_CALL_LIMIT`) the model sees. @default 64
   */
  maxToolCallsPerStep: z.number().int().positive().default(64),
  /** Tool calls of one step running at the same time; the rest wait their turn. @default 8 */
  toolConcurrency: z.number().int().positive().default(8),
  /** Largest tool output (characters) sent back to the model; longer output is truncated with a marker. */
  maxToolOutputChars: z.number().int().positive().default(100_000),
  /** Retries of a failing model call before falling back. */
  retry: z
    .object({
      maxRetries: z.number().int().nonnegative().default(2),
      baseDelayMs: z.number().int().nonnegative().default(500),
      maxDelayMs: z.number().int().positive().default(30_000),
    })
    .default({ maxRetries: 2, baseDelayMs: 500, maxDelayMs: 30_000 }),
  /** Model call settings passed to the provider. */
  modelSettings: z
    .object({
      temperature: z.number().optional(),
      maxOutputTokens: z.number().int().positive().optional(),
      topP: z.number().optional(),
      providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    })
    .default({}),
  /** Prices per model for cost accounting; extends the built-in table. */
  prices: object<PriceTable>('a price table').optional(),
  /**
   * Context windows and output limits per model; extends the built-in table
   * (`DEFAULT_MODEL_INFO`). Keys like the price table's: `provider:model` or a
   * bare model id. The live meter reports context use against these; a model
   * that is in neither table has no window (none is guessed).
   */
  modelInfo: modelInfoTableSchema.optional(),
  /**
   * The live usage meter: while a model streams, run-scoped `usage.updated`
   * estimates at most every `intervalMs` (never more than ten a second), and
   * the call's exact numbers when it ends. `false` sends neither (the session
   * total still comes after each call).
   */
  liveUsage: z
    .union([
      z.literal(false),
      z.object({
        /** Least time between two estimates of a run, ms. @default 100 */
        intervalMs: z.number().int().min(100).default(100),
      }),
    ])
    .default({ intervalMs: 100 }),
  /** Context compaction when the prompt nears the window; `false` turns it off. */
  compaction: z
    .union([
      z.literal(false),
      z.object({
        /**
         * The token budget compaction keeps the prompt under (with
         * `threshold`); the model's own window, when known, caps it. Not what
         * the usage meter reports as the window: that comes from `modelInfo`.
         */
        contextWindow: z.number().int().positive().default(128_000),
        /** Compact when the next prompt is estimated above this share of the window. @default 0.8 */
        threshold: z.number().gt(0).lt(1).default(0.8),
        /** Most recent transcript entries never summarised. @default 6 */
        keepRecent: z.number().int().nonnegative().default(6),
      }),
    ])
    .default({ contextWindow: 128_000, threshold: 0.8, keepRecent: 6 }),
  /** Built-in ask-user tool (`ask_user`). `false` leaves it out. */
  clarify: z
    .union([
      z.literal(false),
      z.object({
        /** How long to wait for an answer, ms. @default 120000 */
        timeoutMs: z.number().int().positive().default(120_000),
        /** What the model gets when nobody answers in time. */
        fallbackAnswer: z
          .string()
          .default(
            'The user did not answer within the time limit. Use your best judgement and continue.',
          ),
      }),
    ])
    .default({
      timeoutMs: 120_000,
      fallbackAnswer:
        'The user did not answer within the time limit. Use your best judgement and continue.',
    }),
  /**
   * Session titles: after a session's first exchange (a run that completed
   * with an answer) and while it has no title, one small model call without
   * tools names it (`session.title_updated`); when the call fails or says
   * nothing, the first words of the user's first message do.
   */
  titles: z
    .object({
      /** @default true */
      enabled: z.boolean().default(true),
      /** The model that writes titles (a small, cheap one); the agent's model when omitted. */
      model: modelRefSchema.optional(),
      /** Longest title, in characters; longer ones are cut on a word boundary. @default 60 */
      maxChars: z.number().int().min(10).max(200).default(60),
      /** Instructions of the title call, replacing the built-in ones. */
      prompt: z.string().min(1).optional(),
    })
    .default({ enabled: true, maxChars: 60 }),
  /**
   * Agents this one may hand the conversation to. Each becomes a
   * `transfer_to_<name>` tool; calling it ends the run (`agent.handoff`) and
   * the session continues with the target agent in a new run.
   */
  handoffs: z.array(object<HandoffTarget>('an Agent')).default([]),
  /** Plugin hooks (see AgentHooks). */
  hooks: object<HookHandlers>('hook handlers').default({}),
  /** A hook that takes longer than this is abandoned. @default 10000 */
  hookTimeoutMs: z.number().int().positive().default(10_000),
  /** Where sessions persist; in-memory when omitted. Use SqliteSessionStore to survive restarts. */
  store: object<SessionStore>('a SessionStore').optional(),
  /** The event bus every event goes to; a new one when omitted. */
  bus: object<EventBus>('an EventBus').optional(),
  /** Surface name for hooks and traces (`cli`, `webui`, `voice`). @default 'sdk' */
  platform: z.string().default('sdk'),
  /** Receives errors that are reported rather than thrown (hooks, sinks). */
  onError: fn<(error: Error) => void>('an error handler').optional(),
  /** Clock and id generator (tests inject them). */
  now: fn<() => number>('a clock').optional(),
  generateId: fn<(prefix: string) => string>('an id generator').optional(),
  /** Environment used to resolve model strings (`process.env` or any object of strings). @default process.env */
  env: envSchema.optional(),
  /**
   * Secret redaction at the source, before events reach the bus and before
   * the transcript is stored: tool arguments and results by default, user
   * text on request; errors and the configured provider keys always.
   */
  redact: redactOptionsSchema,
});

/** What you pass to `createAgent`. */
export type AgentOptions = z.input<typeof agentOptionsSchema>;
/** Options after parsing and defaults. */
export type ResolvedAgentOptions = z.output<typeof agentOptionsSchema>;
