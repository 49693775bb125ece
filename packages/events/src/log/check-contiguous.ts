import { EventsError } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import type { SequenceHead } from '../sequencer/session-sequencer.js';

/**
 * Checks that a batch continues each session's sequence exactly (`seq` =
 * head + 1, then + 1 per event) before anything is written. Throws
 * `EVENTS_SEQ_CONFLICT` naming the first offending event.
 */
export function checkContiguous(
  events: readonly AnyEvent[],
  headOf: (sessionId: string) => SequenceHead,
): Map<string, number> {
  const next = new Map<string, number>();
  for (const event of events) {
    const expected = next.get(event.sessionId) ?? headOf(event.sessionId).seq + 1;
    if (event.seq !== expected) {
      throw new EventsError({
        code: 'EVENTS_SEQ_CONFLICT',
        message: `Session ${event.sessionId}: expected seq ${expected}, got ${event.seq}.`,
        details: { sessionId: event.sessionId, expected, got: event.seq },
      });
    }
    next.set(event.sessionId, expected + 1);
  }
  return next;
}
