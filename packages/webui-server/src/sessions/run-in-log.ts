import type { AnyEvent, EventLog } from '@switchboard/events';

/** How many of a session's last events are read to find whether its last run is still going. */
const TAIL_EVENTS = 500;

/**
 * Where a session stands in the shared event log: its head `seq`, and
 * whether its last top-level run is still going (its `run.started` has no
 * terminal event among the last {@link TAIL_EVENTS} events). A session
 * with that many events and no run event among them counts as running (a
 * long run streams more than that).
 */
export async function lastRunInLog(
  log: EventLog,
  sessionId: string,
): Promise<{ head: number; running: boolean }> {
  const head = (await log.head(sessionId)).seq;
  const events = await log.read(sessionId, Math.max(0, head - TAIL_EVENTS), TAIL_EVENTS);
  for (let index = events.length - 1; index >= 0; index -= 1) {
    const event = events[index]!;
    if (event.parentRunId !== undefined) continue;
    if (isRunEnd(event)) return { head, running: false };
    if (event.type === 'run.started') return { head, running: true };
  }
  return { head, running: head >= TAIL_EVENTS };
}

/** Whether a top-level run started in the session after `afterSeq` (read from the shared log). */
export async function runStartedSince(
  log: EventLog,
  sessionId: string,
  afterSeq: number,
): Promise<boolean> {
  const events = await log.read(sessionId, afterSeq, TAIL_EVENTS);
  return events.some((event) => event.type === 'run.started' && event.parentRunId === undefined);
}

function isRunEnd(event: AnyEvent): boolean {
  return event.type === 'run.finished' || event.type === 'run.failed';
}
