import { z } from 'zod';
import type { EventsError } from '../../errors/events-error.js';

/** Options of {@link JsonlSink.open}, parsed once. */
export const jsonlSinkOptionsSchema = z.object({
  /** Rotate to a new file before a line would make the current one larger than this. @default 100 MiB */
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  /** Largest serialised event accepted; larger ones are refused with `EVENTS_EVENT_TOO_LARGE`. @default 1 MiB */
  maxEventBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Buffered bytes that trigger a write. @default 64 KiB */
  bufferBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /** Longest time an event waits in the buffer, ms. @default 250 */
  flushIntervalMs: z.number().int().nonnegative().default(250),
  /** fsync after each write, for durability against power loss (slower). @default false */
  fsync: z.boolean().default(false),
  /** Receives write failures and crash-recovery notes; a sink never throws into the bus for them. */
  onError: z
    .custom<(error: EventsError) => void>((value) => typeof value === 'function')
    .optional(),
});

/** What you pass to `JsonlSink.open(path, options)`. */
export type JsonlSinkOptions = z.input<typeof jsonlSinkOptionsSchema>;
