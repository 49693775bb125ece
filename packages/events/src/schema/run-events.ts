import { z } from 'zod';
import { openEnum } from './open-enum.js';
import {
  agentRefSchema,
  contentPartSchema,
  costSchema,
  durationMsSchema,
  errorInfoSchema,
  interruptSchema,
  tokenUsageSchema,
} from './shared-schemas.js';

/** Why a run ended without failing. */
export const stopReasonSchema = z.enum([
  /** The model answered and requested no more tools. */
  'completed',
  /** The model hit its output token limit. */
  'max_tokens',
  /** The run used up its step budget (see `loop.budget_exhausted`). */
  'max_steps',
  /** The model refused or its output was filtered. */
  'refusal',
  /** Cancelled by the user or the host (AbortSignal). */
  'cancelled',
  /** Interrupted by the user speaking or typing over it (voice barge-in). */
  'interrupted',
  /** Paused for an approval or a clarify answer; a `resume` run continues it. */
  'awaiting_input',
  /** Stopped by loop-stuck detection (see `loop.stuck`). */
  'stuck',
]);
export type StopReason = z.infer<typeof stopReasonSchema>;

/** What started a run; `runStartedData.trigger` also accepts values a later contract adds. */
export const runTriggerSchema = z.enum([
  'user',
  'resume',
  'steer',
  'subagent',
  'handoff',
  'schedule',
  'say',
  'reply',
]);
export type RunTrigger = z.infer<typeof runTriggerSchema>;

/**
 * `run.started`: the agent starts working on one input (a user message, a resume, a sub-task).
 * `say`: the host put words in the agent's mouth (`session.say()`: one assistant message, no
 * model call); `reply`: the host asked for a reply without new user input
 * (`session.generateReply()`).
 */
export const runStartedData = z.looseObject({
  /** Open: a reader keeps a trigger it does not know (see `openEnum`). */
  trigger: openEnum(runTriggerSchema),
  agent: agentRefSchema.optional(),
  /** The input that started the run, when there is one. */
  input: z.looseObject({ messageId: z.string(), parts: z.array(contentPartSchema) }).optional(),
  /** `provider:model` the run starts with. */
  model: z.string().optional(),
  /** Tool call of the parent run that spawned this sub-agent run. */
  parentToolCallId: z.string().optional(),
  /** The `awaiting_input` run this run continues. */
  resumeOfRunId: z.string().optional(),
  /**
   * With `trigger: 'handoff'`: the run that handed the conversation over (its
   * `agent.handoff` names this run as `toRunId`). A handoff target is a
   * top-level run, not a child, so it has no `parentRunId`.
   */
  handoffFromRunId: z.string().optional(),
});

/** `run.finished`: the run ended; `stopReason` tells why. */
export const runFinishedData = z.looseObject({
  stopReason: stopReasonSchema,
  /** With `awaiting_input`: what the run waits for. */
  interrupts: z.array(interruptSchema).optional(),
  usage: tokenUsageSchema.optional(),
  cost: costSchema.optional(),
  durationMs: durationMsSchema,
  /**
   * The run was withdrawn (a voice preemptive generation the user spoke past):
   * nothing it added stays in the transcript, its user message included, and
   * views drop its items. `stopReason` is `cancelled`.
   */
  withdrawn: z.literal(true).optional(),
});

/** `run.failed`: the run ended on an error it could not recover from. */
export const runFailedData = z.looseObject({
  error: errorInfoSchema,
  usage: tokenUsageSchema.optional(),
  cost: costSchema.optional(),
  durationMs: durationMsSchema.optional(),
});

/** `step.started`: one agent-loop iteration (a model call and the tool calls it asks for). */
export const stepStartedData = z.looseObject({ stepIndex: z.number().int().nonnegative() });

/** `step.finished`. */
export const stepFinishedData = z.looseObject({
  stepIndex: z.number().int().nonnegative(),
  durationMs: durationMsSchema.optional(),
  usage: tokenUsageSchema.optional(),
});

/** Why a model call ended (AI SDK finish reasons plus `cancelled`). */
export const finishReasonSchema = z.enum([
  'stop',
  'length',
  'tool-calls',
  'content-filter',
  'error',
  'cancelled',
  'other',
]);
export type FinishReason = z.infer<typeof finishReasonSchema>;

/**
 * Why a model call was made: `turn` (a step of the agent loop; assumed when
 * absent), `compaction` (summarising older context), `title` (naming the
 * session). Open-ended: readers keep values they do not know.
 */
export const generationPurposeSchema = z
  .string()
  .min(1)
  .describe('Why the model call was made: turn, compaction, title, or another purpose.');

/**
 * `generation.started`: one attempt of a model call. Retries and fallbacks of
 * the call share its `generationId`; each attempt has its own
 * `generation.started` (after a `generation.retrying`), and the call ends
 * with one `generation.finished`.
 */
export const generationStartedData = z.looseObject({
  generationId: z.string(),
  provider: z.string(),
  model: z.string(),
  /** 1 for the first try, incremented per retry or fallback. */
  attempt: z.number().int().positive(),
  /** Call settings (temperature, maxOutputTokens, …). */
  parameters: z.record(z.string(), z.unknown()).optional(),
  purpose: generationPurposeSchema.optional(),
});

/**
 * `generation.retrying`: an attempt failed before producing content and the
 * call will be tried again after `delayMs` (backoff or the provider's
 * `retry-after`), on the same model or, with `fallbackTo`, the next one.
 * The `generation.started` of `nextAttempt` follows the wait.
 */
export const generationRetryingData = z.looseObject({
  generationId: z.string(),
  /** Provider and model of the attempt that failed. */
  provider: z.string(),
  model: z.string(),
  /** The attempt that failed. */
  attempt: z.number().int().positive(),
  nextAttempt: z.number().int().positive(),
  /** How long the loop waits before the next attempt. */
  delayMs: durationMsSchema,
  /** Why the attempt failed (`code`, `message`, `hint`, HTTP `status`). */
  error: errorInfoSchema,
  /** `provider:model` the next attempt falls back to, when it changes model. */
  fallbackTo: z.string().optional(),
  purpose: generationPurposeSchema.optional(),
});

/** `generation.finished`: the model call returned (or failed). */
export const generationFinishedData = z.looseObject({
  generationId: z.string(),
  provider: z.string(),
  model: z.string(),
  finishReason: finishReasonSchema,
  usage: tokenUsageSchema.optional(),
  cost: costSchema.optional(),
  /** Time from the request to the first streamed token. */
  timeToFirstTokenMs: durationMsSchema.optional(),
  durationMs: durationMsSchema.optional(),
  responseId: z.string().optional(),
  error: errorInfoSchema.optional(),
  purpose: generationPurposeSchema.optional(),
});
