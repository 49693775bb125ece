import { EventsError, type AnyEvent } from '@switchboard/events';
import { checkContiguous } from '@switchboard/events/internal';
import { PostgresError, toPostgresError } from '../errors/postgres-error.js';

/**
 * Checks that each session's events in a batch follow one another (`seq`
 * +1 each) before anything is sent; whether the first continues the stored
 * head is checked by the database, in the same statement as the insert.
 */
export function checkBatch(events: readonly AnyEvent[]): void {
  const firsts = new Map<string, number>();
  for (const event of events)
    if (!firsts.has(event.sessionId)) firsts.set(event.sessionId, event.seq);
  checkContiguous(events, (sessionId) => ({ seq: firsts.get(sessionId)! - 1, ts: 0 }));
}

/** What a refused append throws: `EVENTS_SEQ_CONFLICT` for a lost race or a gap, else the database's error. */
export function toAppendError(error: unknown, events: readonly AnyEvent[]): Error {
  const postgres = error instanceof PostgresError ? error : toPostgresError(error, 'append events');
  const state = postgres.details?.sqlState;
  if (state === 'SBSEQ' || state === '23505') {
    const cause = postgres.cause as { message?: string; detail?: string } | undefined;
    let details: Record<string, unknown> = {};
    try {
      details = JSON.parse(cause?.detail ?? '{}') as Record<string, unknown>;
    } catch {
      // no detail: a duplicate key from a racing writer
    }
    const sessions = [...new Set(events.map((event) => event.sessionId))];
    return new EventsError({
      code: 'EVENTS_SEQ_CONFLICT',
      message:
        state === 'SBSEQ'
          ? (cause?.message ?? 'The events do not continue the stored head.')
          : `Another writer stored events of session(s) ${sessions.join(', ')} first.`,
      details: state === 'SBSEQ' ? details : { sessions },
      cause: error,
    });
  }
  return postgres;
}
