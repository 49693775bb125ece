import { z } from 'zod';
import type { EventsError } from '../errors/events-error.js';
import type { EventLog } from '../log/event-log.js';
import type { EventSink } from '../sinks/event-sink.js';
import type { SessionSinkRegistry } from '../sinks/session-sink-registry.js';
import { DEFAULT_MAX_EVENT_BYTES } from './fit-event-size.js';

const isObject = (value: unknown) => typeof value === 'object' && value != null;

/** Options of {@link EventBus}, parsed once by its constructor. */
export const eventBusOptionsSchema = z.object({
  /**
   * Durable log. When set, every event is appended here (in batches, one
   * transaction per microtask) before any subscriber or sink sees it, and a
   * session's sequence continues from the log's head after a restart.
   */
  log: z.custom<EventLog>(isObject).optional(),
  /** Sinks that receive every session's events. */
  sinks: z.array(z.custom<EventSink>(isObject)).default([]),
  /** Per-session sinks; created empty when omitted. */
  registry: z.custom<SessionSinkRegistry>(isObject).optional(),
  /** Events a sink may fall behind before the overflow policy applies. @default 10000 */
  sinkQueueLimit: z.number().int().positive().default(10_000),
  /** `drop-newest` keeps a contiguous prefix; `drop-oldest` keeps the latest events. @default 'drop-newest' */
  overflow: z.enum(['drop-newest', 'drop-oldest']).default('drop-newest'),
  /**
   * Largest serialised event (UTF-8 bytes) the bus stores and publishes. A
   * larger event has its longest strings in `data` truncated (marked in
   * `meta['switchboard.truncated']`); one that cannot be shrunk is refused
   * with `EVENTS_EVENT_TOO_LARGE`. SSE clients need a block cap above this
   * (`connectEventStream`'s `maxBlockChars`, 8 Mi by default). @default 4 MiB
   */
  maxEventBytes: z.number().int().min(4096).default(DEFAULT_MAX_EVENT_BYTES),
  /**
   * How long `flush()` and `close()` wait for the log and every sink before
   * they give up, report `EVENTS_FLUSH_TIMEOUT` naming what is stuck, and
   * resolve. @default 5000
   */
  closeTimeoutMs: z.number().int().positive().default(5000),
  /**
   * Receives sink, subscriber and log failures. They are never thrown into
   * `emit`. Repeated failures or drops of one sink are reported at most once a
   * second, with the count since the last report.
   */
  onError: z.custom<(error: EventsError) => void>((v) => typeof v === 'function').optional(),
  /** Clock in epoch ms (tests inject one). @default Date.now */
  now: z.custom<() => number>((v) => typeof v === 'function').optional(),
});

/** What you pass to `new EventBus(options)`. */
export type EventBusOptions = z.input<typeof eventBusOptionsSchema>;
