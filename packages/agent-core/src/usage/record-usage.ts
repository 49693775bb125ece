import type { TokenUsage } from '@switchboard/events';
import type { GenerationPurpose } from '../loop/model-step.js';
import type { AgentRuntime, RunState } from '../loop/run-state.js';
import { findModelInfo } from '../models/model-info.js';
import { addUsage } from './token-usage.js';
import { tokensPerSecond, type LiveUsageInit } from './usage-meter.js';

/** The model call {@link recordUsage} counts (a `runModelStep` output). */
export interface RecordedCall {
  generationId: string;
  purpose: GenerationPurpose;
  provider: string;
  model: string;
  usage: TokenUsage;
  costUsd?: number;
  durationMs: number;
  timeToFirstTokenMs?: number;
}

/**
 * Counts one model call, whatever it was for (a turn, a compaction summary, a
 * sub-agent's turn), in its run and in the session, then reports it: the
 * call's exact numbers on the run's meter (unless `liveUsage` is off) and the
 * session total. A sub-agent shares its parent session's totals, so the total
 * only ever grows. Context numbers describe the prompt of the session's own
 * next turn, so a sub-agent's call (a context of its own) and a compaction
 * summary (the old context) leave them out; the window is the answering
 * model's, from the model-info table, and absent when the model is unknown.
 */
export function recordUsage(run: RunState, call: RecordedCall): void {
  const { agent, session, emitter } = run;
  run.usage = addUsage(run.usage, call.usage);
  const totals = session.state.addUsage(call.usage, call.costUsd);
  const cost = call.costUsd;
  if (cost !== undefined) run.costUsd = (run.costUsd ?? 0) + cost;
  const ownContext = isOwnContext(run, call.purpose);
  const context = {
    ...(!ownContext || call.usage.inputTokens === undefined
      ? {}
      : { contextTokens: call.usage.inputTokens + (call.usage.outputTokens ?? 0) }),
    ...withWindow(ownContext ? contextWindowOf(agent, call.provider, call.model) : undefined),
  };
  if (agent.options.liveUsage !== false) {
    const rate = tokensPerSecond(
      call.usage.outputTokens ?? 0,
      call.durationMs - (call.timeToFirstTokenMs ?? call.durationMs),
    );
    emitter.emit('usage.updated', {
      scope: 'run',
      generationId: call.generationId,
      usage: run.usage,
      call: call.usage,
      ...(run.costUsd === undefined ? {} : { cost: { amount: run.costUsd, currency: 'USD' } }),
      ...(rate === undefined ? {} : { tokensPerSecond: rate }),
      ...context,
    });
  }
  emitter.emit('usage.updated', {
    scope: 'session',
    usage: totals.usage,
    ...(totals.costUsd === undefined ? {} : { cost: { amount: totals.costUsd, currency: 'USD' } }),
    ...context,
  });
}

/**
 * What a model call's live meter needs from its run (see `UsageMeter`), or
 * `undefined` when the `liveUsage` option is off.
 */
export function liveUsageOf(run: RunState, purpose: GenerationPurpose): LiveUsageInit | undefined {
  const { agent } = run;
  const options = agent.options.liveUsage;
  if (options === false) return undefined;
  return {
    intervalMs: options.intervalMs,
    base: { usage: run.usage, costUsd: run.costUsd },
    ownContext: isOwnContext(run, purpose),
    contextWindow: (provider, model) => contextWindowOf(agent, provider, model),
  };
}

/** The context window of a model from the agent's model-info table (never the compaction budget). */
export function contextWindowOf(
  agent: AgentRuntime,
  provider: string,
  model: string,
): number | undefined {
  return findModelInfo(agent.modelInfo, provider, model)?.contextWindow;
}

function isOwnContext(run: RunState, purpose: GenerationPurpose): boolean {
  return run.trigger !== 'subagent' && purpose === 'turn';
}

function withWindow(window: number | undefined): { contextWindow?: number } {
  return window === undefined ? {} : { contextWindow: window };
}

/** Adds a finished sub-agent run's usage and cost to the run that called it. */
export function addChildUsage(
  run: RunState,
  child: { usage: TokenUsage; costUsd?: number | undefined },
): void {
  run.usage = addUsage(run.usage, child.usage);
  if (child.costUsd !== undefined) run.costUsd = (run.costUsd ?? 0) + child.costUsd;
}
