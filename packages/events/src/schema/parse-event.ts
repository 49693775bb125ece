import type { z } from 'zod';
import { EventsError } from '../errors/events-error.js';
import type { AgentEvent, AnyEvent } from './agent-event.js';
import { CONTRACT_VERSION, envelopeSchema } from './envelope-schema.js';
import { SESSION_SCOPED_TYPES, eventDataSchemas, isEventType } from './event-catalog.js';

/** The result of {@link safeParseEvent}. */
export type SafeParseEventResult =
  { success: true; event: AnyEvent } | { success: false; error: EventsError };

const formatIssues = (issues: readonly z.core.$ZodIssue[], prefix: string): string[] =>
  issues.map((issue) => `${[prefix, ...issue.path].filter(Boolean).join('.')}: ${issue.message}`);

/**
 * Validates one event at a trust boundary (JSONL import, SSE client, HTTP
 * ingest). Known types get their payload checked; unknown types are kept as
 * opaque events (forward compatibility). Unknown fields are kept everywhere.
 * Never throws: bad input comes back as an `EVENTS_INVALID_EVENT` or
 * `EVENTS_UNSUPPORTED_VERSION` error.
 */
export function safeParseEvent(raw: unknown): SafeParseEventResult {
  if (
    typeof raw === 'object' &&
    raw != null &&
    typeof (raw as { v?: unknown }).v === 'number' &&
    (raw as { v: number }).v > CONTRACT_VERSION
  ) {
    const v = (raw as { v: number }).v;
    return {
      success: false,
      error: new EventsError({
        code: 'EVENTS_UNSUPPORTED_VERSION',
        message: `Event contract v${v} is newer than v${CONTRACT_VERSION}; upgrade @switchboard/events.`,
        details: { v },
      }),
    };
  }
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return invalid(formatIssues(envelope.error.issues, ''));
  const event = envelope.data;
  if (!isEventType(event.type)) return { success: true, event: event as AnyEvent };
  if (event.runId === undefined && !SESSION_SCOPED_TYPES.has(event.type)) {
    return invalid([`runId: required on run-scoped event '${event.type}'`]);
  }
  const data = eventDataSchemas[event.type].safeParse(event.data);
  if (!data.success) return invalid(formatIssues(data.error.issues, 'data'), event.type);
  return { success: true, event: { ...event, data: data.data } as AgentEvent };
}

/** Like {@link safeParseEvent} but throws the error. */
export function parseEvent(raw: unknown): AnyEvent {
  const result = safeParseEvent(raw);
  if (!result.success) throw result.error;
  return result.event;
}

/** True when the event's type is known to this contract version (narrows to {@link AgentEvent}). */
export function isKnownEvent(event: AnyEvent): event is AgentEvent {
  return isEventType(event.type);
}

function invalid(issues: string[], type?: string): SafeParseEventResult {
  return {
    success: false,
    error: new EventsError({
      code: 'EVENTS_INVALID_EVENT',
      message: `Invalid event${type ? ` '${type}'` : ''}: ${issues.join('; ')}`,
      details: { issues, ...(type ? { type } : {}) },
    }),
  };
}
