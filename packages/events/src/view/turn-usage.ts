import type { AgentEvent } from '../schema/agent-event.js';
import type { SessionView, TurnUsage } from './session-view.js';
import { ZERO_USAGE, addUsage, toUsage, withoutUndefined } from './view-helpers.js';

// `view.turns`: one entry per top-level run. Only the newest entries ever
// change (runs end in the order they overlap, and they rarely overlap), so
// lookups scan back at most RECENT entries: O(1) per event, even for events
// of runs that are not turns (sub-agents of sub-agents, titles).
const RECENT = 32;

/** A new turn for a top-level `run.started`. */
export function startTurn(state: SessionView, event: AgentEvent<'run.started'>): SessionView {
  if (event.runId === undefined || event.parentRunId !== undefined) return state;
  const turn: TurnUsage = withoutUndefined({
    runId: event.runId,
    status: 'running',
    trigger: event.data.trigger,
    agent: event.data.agent?.name,
    model: event.data.model,
    startedAt: event.ts,
    usage: ZERO_USAGE,
  });
  return { ...state, turns: state.turns.push(turn) };
}

/**
 * A finished model call counts in the running turn it belongs to: its own
 * run's, or that of the run its sub-agent works for. Calls after the turn
 * ended (a title) are not part of it; the run's totals are final.
 */
export function countTurnUsage(
  state: SessionView,
  event: AgentEvent<'generation.finished'>,
): SessionView {
  const position = findRunningTurn(state, event.runId, event.parentRunId);
  if (position === -1) return state;
  const turn = state.turns.get(position)!;
  const usage = addUsage(turn.usage, event.data.usage, event.data.cost);
  return { ...state, turns: state.turns.set(position, { ...turn, usage }) };
}

/** The end of a top-level run: its status, duration and (when it reports them) totals. */
export function finishTurn(
  state: SessionView,
  event: AgentEvent<'run.finished'> | AgentEvent<'run.failed'>,
): SessionView {
  if (event.parentRunId !== undefined) return state;
  const position = findTurn(state, event.runId);
  if (position === -1) return state;
  const turn = state.turns.get(position)!;
  const data = event.data;
  const ended: TurnUsage = {
    ...turn,
    status: event.type === 'run.failed' ? 'failed' : 'finished',
    durationMs: data.durationMs ?? Math.max(0, event.ts - turn.startedAt),
    usage: data.usage ? toUsage(data.usage, data.cost ?? turn.usage.cost) : turn.usage,
  };
  return { ...state, turns: state.turns.set(position, ended) };
}

/** Position of the turn of `runId` among the recent ones, or -1. */
function findTurn(state: SessionView, runId: string | undefined): number {
  if (runId === undefined) return -1;
  const stop = Math.max(0, state.turns.size - RECENT);
  for (let index = state.turns.size - 1; index >= stop; index--)
    if (state.turns.get(index)!.runId === runId) return index;
  return -1;
}

/** Position of the running turn that `runId` is, or works for (`parentRunId`), or -1. */
function findRunningTurn(
  state: SessionView,
  runId: string | undefined,
  parentRunId: string | undefined,
): number {
  let position = findTurn(state, runId);
  if (position === -1) position = findTurn(state, parentRunId);
  return position !== -1 && state.turns.get(position)!.status === 'running' ? position : -1;
}
