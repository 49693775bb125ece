import { z } from 'zod';
import { openEnum } from './open-enum.js';
import {
  contentPartSchema,
  durationMsSchema,
  errorInfoSchema,
  jsonValueSchema,
  truncationSchema,
} from './shared-schemas.js';

/** ACP's tool kinds, used by UIs to pick an icon and by ACP clients as is. */
export const toolKindSchema = z.enum([
  'read',
  'edit',
  'delete',
  'move',
  'search',
  'execute',
  'think',
  'fetch',
  'switch_mode',
  'other',
]);

/** Terminal status of a tool call. */
export const toolCallStatusSchema = z.enum(['completed', 'failed', 'denied', 'cancelled']);
export type ToolCallStatus = z.infer<typeof toolCallStatusSchema>;

/**
 * The tool's name on every `tool_call.*` event after `started` (contract 1.1),
 * so a consumer that joins mid-stream or keeps no state knows which tool an
 * event is about. Optional on the wire: events written before 1.1 lack it
 * (readers fall back to the name of the call's `tool_call.started`).
 * Producers always set it: {@link EventDraft} requires it.
 */
const laterToolName = z
  .string()
  .optional()
  .describe('The tool name (set by producers since contract 1.1; absent in older events).');

/**
 * What the tool definition says about a call, for display: set when the tool
 * has them (`title` from the call's input, so from `tool_call.ready` on).
 */
const presentation = {
  /** Human-readable title ("Reading src/main.ts"). */
  title: z.string().optional(),
  kind: openEnum(toolKindSchema).optional(),
};

/** `tool_call.started`: the model began a tool call. */
export const toolCallStartedData = z.looseObject({
  toolCallId: z.string(),
  toolName: z.string(),
  ...presentation,
  /** The assistant message the call belongs to. */
  parentMessageId: z.string().optional(),
  /** Executed by the provider (e.g. web search), not by the agent. */
  providerExecuted: z.boolean().optional(),
});

/** `tool_call.args_delta`: a fragment of the arguments' JSON text as the model streams it. */
export const toolCallArgsDeltaData = z.looseObject({
  toolCallId: z.string(),
  toolName: laterToolName,
  delta: z.string().min(1),
});

/** `tool_call.ready`: arguments are complete and parsed (or failed to parse: `inputError`). */
export const toolCallReadyData = z.looseObject({
  toolCallId: z.string(),
  toolName: laterToolName,
  ...presentation,
  input: jsonValueSchema,
  inputError: errorInfoSchema.optional(),
});

/** `tool_call.running`: execution started (after any approval). */
export const toolCallRunningData = z.looseObject({
  toolCallId: z.string(),
  toolName: laterToolName,
  ...presentation,
});

/** `tool_call.progress`: a long-running tool reports progress or partial output. */
export const toolCallProgressData = z.looseObject({
  toolCallId: z.string(),
  toolName: laterToolName,
  message: z.string().optional(),
  progress: z.looseObject({ current: z.number(), total: z.number().optional() }).optional(),
  /** Partial output parts, appended to earlier ones. */
  content: z.array(contentPartSchema).optional(),
});

/** `tool_call.completed`: the call reached a terminal status. */
export const toolCallCompletedData = z.looseObject({
  toolCallId: z.string(),
  toolName: laterToolName,
  ...presentation,
  status: toolCallStatusSchema,
  /** Structured result (what the model sees). */
  output: jsonValueSchema.optional(),
  /** Display parts (diffs, terminals, files). */
  content: z.array(contentPartSchema).optional(),
  error: errorInfoSchema.optional(),
  /** Total time from `tool_call.started`, including approval and queueing. */
  durationMs: durationMsSchema.optional(),
  /** Time spent executing only. */
  executionDurationMs: durationMsSchema.optional(),
  truncated: truncationSchema.optional(),
});

/** An answer the user can give to an approval request (ACP permission options). */
export const approvalOptionSchema = z.looseObject({
  optionId: z.string(),
  label: z.string(),
  kind: z.enum(['allow_once', 'allow_always', 'reject_once', 'reject_always']),
});

/** `tool_call.approval_requested`: the call waits for a human decision. */
export const toolCallApprovalRequestedData = z.looseObject({
  approvalId: z.string(),
  toolCallId: z.string(),
  toolName: laterToolName,
  ...presentation,
  input: jsonValueSchema.optional(),
  reason: z.string().optional(),
  options: z.array(approvalOptionSchema).optional(),
  /** ISO 8601 time after which the request expires. */
  expiresAt: z.string().optional(),
});

/** `tool_call.approval_resolved`: the decision. */
export const toolCallApprovalResolvedData = z.looseObject({
  approvalId: z.string(),
  toolCallId: z.string(),
  toolName: laterToolName,
  approved: z.boolean(),
  optionId: z.string().optional(),
  /** Decided by a policy (always/never/predicate), not a person. */
  automatic: z.boolean().optional(),
  reason: z.string().optional(),
});

/** `clarify.requested`: the agent asks the user a question. */
export const clarifyRequestedData = z.looseObject({
  clarifyId: z.string(),
  question: z.string(),
  choices: z.array(z.string()).optional(),
  allowFreeText: z.boolean().optional(),
  /** After this long the fallback answer is used. */
  timeoutMs: z.number().int().positive().optional(),
  fallbackAnswer: z.string().optional(),
  toolCallId: z.string().optional(),
});

/** `clarify.resolved`: the answer, and where it came from. */
export const clarifyResolvedData = z.looseObject({
  clarifyId: z.string(),
  answer: z.string(),
  source: openEnum(z.enum(['user', 'timeout', 'cancelled'])),
});
