import { SwitchboardError, type SwitchboardErrorInit } from '@switchboard/events';
import { optionsParser } from '@switchboard/events/internal';

/**
 * Every code `@switchboard/tracing-plugin` throws or reports, with a
 * one-line meaning. A test checks each is listed in the README.
 */
export const TRACING_ERROR_CODES = {
  /** Options failed their schema (every issue listed). */
  TRACING_INVALID_OPTIONS: 'Options failed validation.',
  /** No Langfuse keys in options or environment: the plugin is inert (reported once). */
  TRACING_NO_CREDENTIALS: 'No Langfuse credentials; tracing is off.',
  /** Building the exporter or tracer failed: the plugin is inert (reported once). */
  TRACING_INIT_FAILED: 'The Langfuse exporter could not be set up.',
  /** Sending spans failed or timed out (reported, never thrown). */
  TRACING_EXPORT_FAILED: 'Exporting spans to Langfuse failed.',
  /** Turning an event into spans failed (reported, never thrown into the agent). */
  TRACING_HANDLER_FAILED: 'An event could not be traced.',
  /** A replayed event log could not be read. */
  TRACING_REPLAY_FAILED: 'The event log could not be replayed.',
} as const;

/** A stable `@switchboard/tracing-plugin` error code. */
export type TracingErrorCode = keyof typeof TRACING_ERROR_CODES;

/** An error raised or reported by `@switchboard/tracing-plugin`. */
export class TracingError extends SwitchboardError<TracingErrorCode> {
  constructor(init: SwitchboardErrorInit<TracingErrorCode>) {
    super(init);
    this.name = 'TracingError';
  }
}

/** Parses the plugin's options; failures throw `TracingError` `TRACING_INVALID_OPTIONS`. */
export const parseTracingOptions = optionsParser('TRACING_INVALID_OPTIONS', TracingError);
