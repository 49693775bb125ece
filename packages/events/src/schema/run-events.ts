import { z } from 'zod';
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

/** `run.started`: the agent starts working on one input (a user message, a resume, a sub-task). */
export const runStartedData = z.looseObject({
  trigger: z.enum(['user', 'resume', 'steer', 'subagent', 'handoff', 'schedule']),
  agent: agentRefSchema.optional(),
  /** The input that started the run, when there is one. */
  input: z.looseObject({ messageId: z.string(), parts: z.array(contentPartSchema) }).optional(),
  /** `provider:model` the run starts with. */
  model: z.string().optional(),
  /** Tool call of the parent run that spawned this sub-agent run. */
  parentToolCallId: z.string().optional(),
  /** The `awaiting_input` run this run continues. */
  resumeOfRunId: z.string().optional(),
});

/** `run.finished`: the run ended; `stopReason` tells why. */
export const runFinishedData = z.looseObject({
  stopReason: stopReasonSchema,
  /** With `awaiting_input`: what the run waits for. */
  interrupts: z.array(interruptSchema).optional(),
  usage: tokenUsageSchema.optional(),
  cost: costSchema.optional(),
  durationMs: durationMsSchema,
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

/** `generation.started`: one model call (retries of it share the `generationId`). */
export const generationStartedData = z.looseObject({
  generationId: z.string(),
  provider: z.string(),
  model: z.string(),
  /** 1 for the first try, incremented per retry or fallback. */
  attempt: z.number().int().positive(),
  /** Call settings (temperature, maxOutputTokens, …). */
  parameters: z.record(z.string(), z.unknown()).optional(),
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
});
