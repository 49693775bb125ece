import { z } from 'zod';
import type { EventsError } from '../../errors/events-error.js';
import { DEFAULT_MAX_EVENT_BYTES } from '../../bus/fit-event-size.js';
import type { EventLog } from '../../log/event-log.js';
import { DEFAULT_MAX_LINE_BYTES } from './jsonl-lines.js';
import { jsonlRetentionSchema } from './jsonl-retention.js';

/** The part of an {@link EventLog} a sink backfills from. */
export type JsonlBackfillSource = Pick<EventLog, 'read' | 'head'>;

/** Options of {@link JsonlSink.open}, parsed once. */
export const jsonlSinkOptionsSchema = z.object({
  /** Rotate to a new file before a line would make the current one larger than this. @default 100 MiB */
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  /** Largest serialised event accepted; larger ones are refused with `EVENTS_EVENT_TOO_LARGE`. Matches the bus's `maxEventBytes`, so what the bus lets through is written. @default 4 MiB */
  maxEventBytes: z.number().int().positive().default(DEFAULT_MAX_EVENT_BYTES),
  /**
   * Longest last line `open` reads to find the head; a longer one fails with
   * `EVENTS_JSONL_LINE_TOO_LONG`. @default 64 MiB
   */
  maxLineBytes: z.number().int().positive().default(DEFAULT_MAX_LINE_BYTES),
  /** Buffered bytes that trigger a write. @default 64 KiB */
  bufferBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /**
   * High-water mark of bytes accepted but not yet on disk. Past it, `write`
   * returns a promise that settles once the buffer is written, so a slow disk
   * holds up the bus's queue for this sink (whose overflow policy then
   * applies) instead of growing the heap. @default 8 MiB
   */
  maxBufferedBytes: z
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  /** Longest time an event waits in the buffer, ms. @default 250 */
  flushIntervalMs: z.number().int().nonnegative().default(250),
  /** fsync after each write, for durability against power loss (slower). @default false */
  fsync: z.boolean().default(false),
  /**
   * The durable log beside this file (the bus's `log`). When a session's next
   * event is ahead of the file (the process died before the buffer reached
   * disk, while the log already had the events), the missing events are read
   * from it and written first. Without it such a gap is reported as
   * `EVENTS_JSONL_GAP`.
   */
  backfillFrom: z
    .custom<JsonlBackfillSource>(
      (value) =>
        typeof value === 'object' &&
        value != null &&
        typeof (value as JsonlBackfillSource).read === 'function' &&
        typeof (value as JsonlBackfillSource).head === 'function',
      { message: 'must be an event log (with read and head)' },
    )
    .optional(),
  /** Deletes old rotated files after each rotation and on open (see `applyJsonlRetention`). */
  retention: jsonlRetentionSchema.optional(),
  /** Receives write failures and crash-recovery notes; a sink never throws into the bus for them. */
  onError: z
    .custom<(error: EventsError) => void>((value) => typeof value === 'function')
    .optional(),
});

/** What you pass to `JsonlSink.open(path, options)`. */
export type JsonlSinkOptions = z.input<typeof jsonlSinkOptionsSchema>;
