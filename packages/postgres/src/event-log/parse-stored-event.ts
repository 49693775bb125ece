import { EventsError, type AnyEvent } from '@switchboard/events';

/** A stored body back as an event; `EVENTS_STORE_CORRUPT` when it is not the event JSON of `seq`. */
export function parseStoredEvent(seq: number, body: string, sessionId: string): AnyEvent {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch (error) {
    throw corrupt(sessionId, seq, error);
  }
  if (typeof event !== 'object' || event == null || (event as { seq?: unknown }).seq !== seq)
    throw corrupt(sessionId, seq);
  return event as AnyEvent;
}

function corrupt(sessionId: string, seq: number, cause?: unknown): EventsError {
  return new EventsError({
    code: 'EVENTS_STORE_CORRUPT',
    message: `The stored event ${seq} of session ${sessionId} is not valid event JSON.`,
    details: { sessionId, seq },
    cause,
  });
}
