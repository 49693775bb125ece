import { z } from 'zod';
import { openEnum } from './open-enum.js';
import { costSchema, tokenUsageSchema } from './shared-schemas.js';

/** `steer.accepted`: the user sent guidance while a run is in progress. */
export const steerAcceptedData = z.looseObject({ steerId: z.string(), text: z.string() });

/** `steer.applied`: where the guidance went. */
export const steerAppliedData = z.looseObject({
  steerId: z.string(),
  /** Injected at the next tool-result boundary, or queued as the next user message. */
  mode: z.enum(['tool_boundary', 'next_message']),
  messageId: z.string().optional(),
});

/** `plan.updated`: the whole plan, replacing the previous one with the same id. */
export const planUpdatedData = z.looseObject({
  planId: z.string(),
  entries: z.array(
    z.looseObject({
      entryId: z.string().optional(),
      content: z.string(),
      status: z.enum(['pending', 'in_progress', 'completed', 'skipped']),
      priority: z.enum(['high', 'medium', 'low']).optional(),
    }),
  ),
});

/**
 * `usage.updated`: running totals for the run or the session, and the
 * context window fill.
 *
 * With `scope: 'run'` and a `generationId` it is the live meter of one model
 * call: while the call streams, `estimated: true` updates (at most ten a
 * second per run) count the streamed characters as tokens; when the call
 * ends, one update with the provider's counts follows its
 * `generation.finished`. Neither is a new total to add up: `usage` already
 * includes everything before it, so readers replace, never sum.
 */
export const usageUpdatedData = z.looseObject({
  scope: z.enum(['run', 'session']),
  /** Running totals of the scope (with `estimated`, including the streaming call's estimate). */
  usage: tokenUsageSchema,
  /** Running cost of the scope, when the models have a price. */
  cost: costSchema.optional(),
  /** Tokens the next prompt will occupy (while a call streams: its prompt and output so far). */
  contextTokens: z.number().int().nonnegative().optional(),
  /** The model's context window, when the model is known; never a guess. */
  contextWindow: z.number().int().positive().optional(),
  /** The model call this update measures (its `generation.*` id). */
  generationId: z.string().optional(),
  /** That call's own counts: estimated while it streams, the provider's once it ended. */
  call: tokenUsageSchema.optional(),
  /**
   * The counts (and the cost and context derived from them) are estimates of
   * a call still streaming, not provider counts. Absent means exact.
   */
  estimated: z.boolean().optional(),
  /** Output tokens per second of the call, over its streaming time (first token to now or end). */
  tokensPerSecond: z.number().nonnegative().optional(),
});

/** `context.compacted`: older turns were summarised to fit the context window. */
export const contextCompactedData = z.looseObject({
  compactionId: z.string(),
  strategy: z.string(),
  archivedMessages: z.number().int().nonnegative(),
  tokensBefore: z.number().int().nonnegative(),
  tokensAfter: z.number().int().nonnegative(),
  /** Token counts are estimates, not provider counts. */
  estimated: z.boolean().optional(),
});

/** `agent.handoff`: control passes to another agent. */
export const agentHandoffData = z.looseObject({
  fromAgent: z.string(),
  toAgent: z.string(),
  reason: z.string().optional(),
  summary: z.string().optional(),
  /** The run the target agent continues in. */
  toRunId: z.string().optional(),
});

/** `loop.budget_exhausted`: the run hit its step limit; `run.finished{max_steps}` follows. */
export const loopBudgetExhaustedData = z.looseObject({
  maxSteps: z.number().int().positive(),
  /**
   * Which limit: `steps` (model calls, the default when absent) or
   * `tool_steps` (the run's `maxToolSteps`: rounds of tool calls; the calls of
   * the round over the limit are not run).
   */
  limit: z.enum(['steps', 'tool_steps']).optional(),
});

/** `loop.stuck`: the loop repeats itself without progress. */
export const loopStuckData = z.looseObject({
  reason: openEnum(z.enum(['repeated_tool_call', 'no_progress'])),
  /** `nudge` injects a hint and continues; `stop` ends the run (`stopReason: stuck`). */
  action: z.enum(['nudge', 'stop']),
  repeats: z.number().int().positive().optional(),
  toolName: z.string().optional(),
  nudges: z.number().int().nonnegative().optional(),
  /** The last few lines of output, for a human to judge. */
  tailExcerpt: z.string().optional(),
});

/** `feedback.injected`: the loop added a message the user did not type (nudges, reminders). */
export const feedbackInjectedData = z.looseObject({ kind: z.string(), content: z.string() });

/** `skill.activated`. */
export const skillActivatedData = z.looseObject({
  skillName: z.string(),
  reason: z.string().optional(),
  /** The tools the skill scopes the agent to. */
  allowedTools: z.array(z.string()).optional(),
});

/** `skill.deactivated`. */
export const skillDeactivatedData = z.looseObject({
  skillName: z.string(),
  reason: z.string().optional(),
});

/** `notice`: something a user should see that is not part of the conversation. */
export const noticeData = z.looseObject({
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  code: z.string().optional(),
});

/** `custom`: an application event; `name` is namespaced (`vendor.thing`). */
export const customData = z.looseObject({
  name: z.string().min(1),
  value: z.unknown(),
});
