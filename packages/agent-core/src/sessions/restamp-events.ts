import { isKnownEvent, type AnyEvent } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';

/**
 * Another session's events, as the log of session `sessionId`: the same
 * events in the same order (run ids, message ids, times and payloads kept),
 * with the new session id and `seq` 1, 2, 3, … A run the events leave
 * unfinished (an export taken mid-run, or from a process that died) gets
 * what a restarted process gives it: its open message completed and the run
 * finished, `interrupted`, so no view shows it running for ever.
 *
 * The events must be one session's, in increasing `seq` order; otherwise
 * `CORE_INVALID_IMPORT` (nothing is changed).
 */
export function restampEvents(events: readonly AnyEvent[], sessionId: string): AnyEvent[] {
  const first = events[0];
  if (!first) throw invalid('There are no events to import.');
  const out: AnyEvent[] = [];
  let previous = 0;
  for (const [index, event] of events.entries()) {
    if (event.sessionId !== first.sessionId) {
      throw invalid(
        `Event ${index + 1} belongs to session ${event.sessionId}, not ${first.sessionId}: import one session at a time.`,
      );
    }
    if (event.seq <= previous)
      throw invalid(`Event ${index + 1} has seq ${event.seq} after ${previous}: not in log order.`);
    previous = event.seq;
    out.push({ ...event, sessionId, seq: index + 1 });
  }
  return [...out, ...closeUnfinishedRun(out)];
}

/** The events that end the last top-level run when it has no terminal event. */
function closeUnfinishedRun(events: readonly AnyEvent[]): AnyEvent[] {
  let open: { runId: string; startedAt: number } | undefined;
  const messages = new Map<string, string>();
  for (const event of events) {
    if (!isKnownEvent(event) || event.runId === undefined || event.parentRunId !== undefined)
      continue;
    if (event.type === 'run.started') {
      open = { runId: event.runId, startedAt: event.ts };
      messages.clear();
    } else if (event.type === 'run.finished' || event.type === 'run.failed') {
      open = undefined;
    } else if (event.type === 'message.started') {
      messages.set(event.data.messageId, '');
    } else if (event.type === 'message.delta') {
      messages.set(
        event.data.messageId,
        (messages.get(event.data.messageId) ?? '') + event.data.delta,
      );
    } else if (event.type === 'message.completed') {
      messages.delete(event.data.messageId);
    }
  }
  if (!open) return [];
  const last = events.at(-1)!;
  const stamp = { v: last.v, sessionId: last.sessionId, runId: open.runId, ts: last.ts };
  let seq = last.seq;
  const out: AnyEvent[] = [...messages].map(([messageId, text]) => ({
    ...stamp,
    seq: ++seq,
    type: 'message.completed',
    data: { messageId, text, status: 'interrupted' },
  }));
  out.push({
    ...stamp,
    seq: ++seq,
    type: 'run.finished',
    data: { stopReason: 'interrupted', durationMs: Math.max(0, last.ts - open.startedAt) },
  });
  return out;
}

function invalid(message: string): AgentCoreError {
  return new AgentCoreError({ code: 'CORE_INVALID_IMPORT', message });
}
