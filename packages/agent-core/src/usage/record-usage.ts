import type { TokenUsage } from '@switchboard/events';
import type { GenerationPurpose } from '../agent/model-step.js';
import type { RunState } from '../agent/run-state.js';
import { addUsage } from './token-usage.js';

/**
 * Counts one model call, whatever it was for (a turn, a compaction summary, a
 * sub-agent's turn), in its run and in the session, then reports the session
 * total. A sub-agent shares its parent session's totals, so the total only
 * ever grows. Context numbers describe the prompt of the session's own next
 * turn, so a sub-agent's call (a context of its own) and a compaction summary
 * (the old context) leave them out.
 */
export function recordUsage(
  run: RunState,
  call: { usage: TokenUsage; costUsd?: number; purpose: GenerationPurpose },
): void {
  const { agent, session, emitter } = run;
  run.usage = addUsage(run.usage, call.usage);
  const totals = session.snapshot.totals;
  totals.usage = addUsage(totals.usage, call.usage);
  totals.apiCalls += 1;
  const cost = call.costUsd;
  if (cost !== undefined) {
    run.costUsd = (run.costUsd ?? 0) + cost;
    totals.costUsd = (totals.costUsd ?? 0) + cost;
  }
  const ownContext = run.trigger !== 'subagent' && call.purpose === 'turn';
  emitter.emit('usage.updated', {
    scope: 'session',
    usage: totals.usage,
    ...(totals.costUsd === undefined ? {} : { cost: { amount: totals.costUsd, currency: 'USD' } }),
    ...(!ownContext || call.usage.inputTokens === undefined
      ? {}
      : { contextTokens: call.usage.inputTokens + (call.usage.outputTokens ?? 0) }),
    ...(!ownContext || agent.options.compaction === false
      ? {}
      : { contextWindow: agent.options.compaction.contextWindow }),
  });
}

/** Adds a finished sub-agent run's usage and cost to the run that called it. */
export function addChildUsage(
  run: RunState,
  child: { usage: TokenUsage; costUsd?: number | undefined },
): void {
  run.usage = addUsage(run.usage, child.usage);
  if (child.costUsd !== undefined) run.costUsd = (run.costUsd ?? 0) + child.costUsd;
}
