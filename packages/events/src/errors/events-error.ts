import { optionsParser } from './parse-options.js';
import { SwitchboardError, type SwitchboardErrorInit } from './switchboard-error.js';

/**
 * Every code `@switchboard/events` can throw or report. Each has a row in the
 * package README's Errors table (a test checks it). A released code is never
 * reused for a different meaning.
 */
export const EVENTS_ERROR_CODES = {
  /** Options passed to a factory failed their schema. */
  EVENTS_INVALID_OPTIONS: 'Options failed validation.',
  /** An event (or its payload) does not match the contract. */
  EVENTS_INVALID_EVENT: 'An event does not match the contract.',
  /** The event's `v` is newer than this package understands. */
  EVENTS_UNSUPPORTED_VERSION: 'The event was written by a newer contract version.',
  /** An append would leave a gap or a duplicate in a session's sequence. */
  EVENTS_SEQ_CONFLICT: 'The sequence number is not the next one for its session.',
  /** The durable event log could not store events; they were not published. */
  EVENTS_LOG_APPEND_FAILED: 'The event log could not store events.',
  /** A sink threw or rejected while handling an event. */
  EVENTS_SINK_FAILED: 'A sink failed to handle an event.',
  /** `flush()`/`close()` gave up waiting for a sink or the log after `closeTimeoutMs`. */
  EVENTS_FLUSH_TIMEOUT: 'A sink or the log did not settle within the flush timeout.',
  /** The event log could not be read (other than a damaged store). */
  EVENTS_LOG_READ_FAILED: 'The event log could not be read.',
  /** A sink fell too far behind and events were dropped for it. */
  EVENTS_SINK_OVERFLOW: 'A sink queue overflowed; events were dropped for that sink.',
  /** Something was written to a sink or log after it was closed. */
  EVENTS_CLOSED: 'The sink, bus or log is closed.',
  /** A JSONL line could not be parsed (other than a torn last line). */
  EVENTS_JSONL_CORRUPT: 'A JSONL event file has a corrupt line.',
  /** A JSONL line is longer than the reader's or sink's `maxLineBytes`. */
  EVENTS_JSONL_LINE_TOO_LONG: 'A JSONL line exceeds maxLineBytes.',
  /** A JSONL sink received a session's event after a gap it could not fill from a log. */
  EVENTS_JSONL_GAP: 'A JSONL file is missing events of a session.',
  /** A stored event in a database-backed log cannot be read back (its body is not event JSON). */
  EVENTS_STORE_CORRUPT: 'A stored event could not be read back.',
  /** An event is larger than the configured maximum once serialised. */
  EVENTS_EVENT_TOO_LARGE: 'The serialised event exceeds the size limit.',
  /** The optional peer dependency better-sqlite3 is not installed, so a SQLite log cannot open a file. */
  EVENTS_SQLITE_UNAVAILABLE: 'better-sqlite3 is not installed.',
  /** A resume cursor (Last-Event-ID / after) is malformed or out of range. */
  EVENTS_INVALID_CURSOR: 'The resume cursor is malformed or not in the log.',
  /** An SSE stream broke the protocol or the server answered with an error status. */
  EVENTS_SSE_PROTOCOL: 'The SSE stream could not be read.',
  /** A session view read back from JSON (`parseSessionViewJson`) does not have the view's shape. */
  EVENTS_INVALID_VIEW: 'A stored session view does not have the view shape.',
} as const;

/** A stable `@switchboard/events` error code. */
export type EventsErrorCode = keyof typeof EVENTS_ERROR_CODES;

/** An error raised by `@switchboard/events`; `code` is one of {@link EVENTS_ERROR_CODES}. */
export class EventsError extends SwitchboardError<EventsErrorCode> {
  constructor(init: SwitchboardErrorInit<EventsErrorCode>) {
    super(init);
    this.name = 'EventsError';
  }
}

/** Parses `@switchboard/events` options; failures throw `EventsError` `EVENTS_INVALID_OPTIONS`. */
export const parseEventsOptions = optionsParser('EVENTS_INVALID_OPTIONS', EventsError);
