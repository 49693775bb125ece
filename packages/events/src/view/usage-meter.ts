import type { AgentEvent } from '../schema/agent-event.js';
import type { SessionView, UsageMeterView } from './session-view.js';
import { updateRun } from './timeline.js';
import { toUsage, withoutUndefined } from './view-helpers.js';

// Usage numbers of the view: totals, context fill and the live meter.

/**
 * `usage.updated`. Totals are replaced, never summed: the event already counts
 * everything before it. A live estimate (`estimated`) moves the meter and the
 * context fill only; the run's totals wait for the call's exact numbers, so a
 * reader never sees an estimate and the exact count of the same call added up.
 */
export function applyUsageUpdate(
  state: SessionView,
  event: AgentEvent<'usage.updated'>,
): SessionView {
  const data = event.data;
  const estimated = data.estimated === true;
  const context =
    data.contextTokens !== undefined || data.contextWindow !== undefined
      ? withoutUndefined({
          tokens: data.contextTokens,
          window: data.contextWindow,
          estimated: estimated || undefined,
        })
      : state.context;
  let next: SessionView = { ...state, context };
  if (data.generationId !== undefined && data.scope === 'run' && ownsMeter(state, event)) {
    const call = data.call ?? {};
    next = {
      ...next,
      meter: withoutUndefined<UsageMeterView>({
        runId: event.runId!,
        generationId: data.generationId,
        estimated,
        inputTokens: call.inputTokens,
        outputTokens: call.outputTokens ?? 0,
        reasoningTokens: call.reasoningTokens,
        tokensPerSecond: data.tokensPerSecond,
        contextTokens: data.contextTokens,
        // The window belongs to the model, not the update: keep it for the same call.
        contextWindow:
          data.contextWindow ??
          (state.meter?.generationId === data.generationId ? state.meter.contextWindow : undefined),
        cost: data.cost,
        updatedAt: event.ts,
      }),
    };
  }
  if (data.scope === 'session') return { ...next, usage: toUsage(data.usage, data.cost) };
  if (estimated) return next;
  return updateRun(next, event.runId, (run) => ({ ...run, usage: toUsage(data.usage, data.cost) }));
}

/**
 * `generation.finished` makes the meter exact, also for producers that send no
 * live updates: the provider's counts, output tokens per second over the
 * streaming time (`durationMs - timeToFirstTokenMs`) and, for a turn of the
 * conversation, the context it leaves (prompt plus answer). Apply it after
 * the run's usage took the call in.
 */
export function finishMeter(
  state: SessionView,
  event: AgentEvent<'generation.finished'>,
): SessionView {
  if (!ownsMeter(state, event)) return state;
  const data = event.data;
  const usage = data.usage ?? {};
  const previous = state.meter?.generationId === data.generationId ? state.meter : undefined;
  // What the provider counted: a cancelled call that reported nothing shows 0, like the totals.
  const outputTokens = usage.outputTokens ?? 0;
  const turn = data.purpose === undefined || data.purpose === 'turn';
  const streamingMs =
    data.durationMs !== undefined && data.timeToFirstTokenMs !== undefined
      ? data.durationMs - data.timeToFirstTokenMs
      : 0;
  const meter: UsageMeterView = withoutUndefined({
    runId: event.runId!,
    generationId: data.generationId,
    estimated: false,
    inputTokens: usage.inputTokens,
    outputTokens,
    reasoningTokens: usage.reasoningTokens,
    tokensPerSecond: tokensPerSecond(outputTokens, streamingMs),
    contextTokens:
      turn && usage.inputTokens !== undefined ? usage.inputTokens + outputTokens : undefined,
    contextWindow: previous?.contextWindow,
    // The run's own generations so far; the call's exact `usage.updated` adds its sub-agents'.
    cost: state.run?.usage.cost,
    updatedAt: event.ts,
  });
  return { ...state, meter };
}

/**
 * Output tokens per second over `streamingMs`, to one decimal; undefined
 * when nothing was streamed or no time passed. agent-core computes its exact
 * `tokensPerSecond` the same way, so the meter does not flicker between the
 * two.
 */
export function tokensPerSecond(outputTokens: number, streamingMs: number): number | undefined {
  if (outputTokens <= 0 || streamingMs <= 0) return undefined;
  return Math.round((outputTokens / streamingMs) * 10_000) / 10;
}

/** Only the calls of the current top-level run move the meter (not sub-agents'). */
function ownsMeter(state: SessionView, event: AgentEvent): boolean {
  return (
    event.parentRunId === undefined &&
    event.runId !== undefined &&
    state.run !== undefined &&
    event.runId === state.run.runId
  );
}
