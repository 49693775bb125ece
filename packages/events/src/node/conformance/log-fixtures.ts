import type { AgentEvent, AnyEvent } from '../../schema/agent-event.js';

// Builders shared by the event-log conformance suite and the logs' own tests (one set).

/** A stamped `notice` of session `sessionId` numbered `seq` (its `ts` is `1000 + seq`). */
export function noticeEvent(sessionId: string, seq: number, runId = 'r'): AnyEvent {
  const event: AgentEvent<'notice'> = {
    v: 1,
    type: 'notice',
    seq,
    ts: 1000 + seq,
    sessionId,
    runId,
    data: { severity: 'info', message: String(seq) },
  };
  return event;
}

/** The whole numbers from `from` to `to`, both included. */
export const seqRange = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** The `seq` of each event, in order. */
export const seqsOf = (events: readonly AnyEvent[]): number[] => events.map((event) => event.seq);
