import { z } from 'zod';
import type { EventsError } from '../errors/events-error.js';
import type { EventSink } from './event-sink.js';

const isObject = (value: unknown) => typeof value === 'object' && value != null;

/** Options of {@link MultiSink}, parsed once by its constructor. */
export const multiSinkOptionsSchema = z.object({
  /** The sinks every event goes to, in this order. */
  sinks: z.array(z.custom<EventSink>(isObject)),
  /** Receives each sink failure (`EVENTS_SINK_FAILED`); never thrown into the writer. */
  onError: z
    .custom<(error: EventsError) => void>((value) => typeof value === 'function')
    .optional(),
});

/** What you pass to `new MultiSink(options)`. */
export type MultiSinkOptions = z.input<typeof multiSinkOptionsSchema>;
