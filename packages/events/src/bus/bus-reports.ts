// The reports the bus builds, kept apart so the bus reads as its delivery logic.
import { EventsError } from '../errors/events-error.js';
import type { EventDraft } from '../schema/agent-event.js';
import type { EventSink } from '../sinks/event-sink.js';
import type { Truncated } from './stamp-within-limit.js';

/** ` (name)` of a sink for reports: its `name`, else its class name, else nothing. */
export function sinkName(sink: EventSink): string {
  const name = sink.name ?? (sink.constructor === Object ? undefined : sink.constructor?.name);
  return name ? ` (${name})` : '';
}

/** The store's own code when it says what happened (a lost race, a damaged file), else `fallback`. */
export function storeCode(
  code: string,
  fallback: 'EVENTS_LOG_APPEND_FAILED' | 'EVENTS_LOG_READ_FAILED',
): EventsError['code'] {
  return code === 'EVENTS_SEQ_CONFLICT' || code === 'EVENTS_STORE_CORRUPT' ? code : fallback;
}

/** The report of a draft whose longest strings were cut to fit `maxEventBytes`. */
export function truncated(draft: EventDraft, cut: Truncated, limit: number): EventsError {
  return new EventsError({
    code: 'EVENTS_EVENT_TOO_LARGE',
    message: `Event '${draft.type}' of session ${draft.sessionId} was ${cut.originalBytes} bytes, over maxEventBytes (${limit}); its longest strings were truncated to ${cut.keptBytes} bytes (see meta['switchboard.truncated']).`,
    details: {
      sessionId: draft.sessionId,
      type: draft.type,
      action: 'truncated',
      originalBytes: cut.originalBytes,
      keptBytes: cut.keptBytes,
      limit,
      paths: cut.paths,
    },
  });
}

/** The report of a draft over `maxEventBytes` that could not be shrunk (not stored or published). */
export function tooLarge(draft: EventDraft, bytes: number, limit: number): EventsError {
  return new EventsError({
    code: 'EVENTS_EVENT_TOO_LARGE',
    message: `Event '${draft.type}' of session ${draft.sessionId} is ${bytes} bytes, over maxEventBytes (${limit}), and has no long strings to truncate; it was not stored or published. Send large content by reference (an asset id or URL) instead.`,
    details: { sessionId: draft.sessionId, type: draft.type, action: 'refused', bytes, limit },
  });
}
