import { z } from 'zod';
import { parseEventsOptions, type EventsError } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { parseEvent } from '../schema/parse-event.js';
import type { ConnectEventStreamOptions, FetchLike, ValidateEvent } from './connect-options.js';
import { DEFAULT_MAX_SSE_BLOCK_CHARS } from './decode-sse.js';
import { readEventStream } from './read-event-stream.js';
import type { StreamOpenedData } from './transport-events.js';

export type { ConnectEventStreamOptions, FetchLike, ValidateEvent };

const isFunction = (value: unknown) => typeof value === 'function';

/** Options of {@link connectEventStream}, parsed once. */
export const connectEventStreamOptionsSchema = z
  .object({
    /**
     * The last `seq` this client already has (e.g. stored from an earlier
     * visit). Sent as `Last-Event-ID` on every connection until a newer event
     * arrives, also if the first connection drops before any event.
     */
    lastEventId: z
      .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/)])
      .optional(),
    /** @default globalThis.fetch (looked up at each connection) */
    fetch: z.custom<FetchLike>(isFunction).optional(),
    /** Extra request headers (e.g. `authorization`). `accept` and `last-event-id` are set by the client. */
    headers: z.record(z.string(), z.string()).optional(),
    /** Aborting it ends the iteration cleanly (no error) and closes the connection. */
    signal: z.custom<AbortSignal>((value) => typeof value === 'object' && value != null).optional(),
    /** Delay before reconnecting, in milliseconds, until the server sends its own `retry:`. @default 1000 */
    retryMs: z.number().int().nonnegative().default(1000),
    /**
     * Bounds of a server's `retry:` (a `retry: 0` would make the client hammer
     * the server; a huge one would make it wait for ever) and of the backoff:
     * after consecutive connections that brought no event, the delay doubles
     * (with jitter) up to `maxRetryMs`. @default 250 and 60000
     */
    minRetryMs: z.number().int().nonnegative().default(250),
    maxRetryMs: z.number().int().positive().default(60_000),
    /**
     * Largest SSE block (one event's `id:` and `data:` lines), in characters. A
     * larger block ends the iteration with `EVENTS_EVENT_TOO_LARGE` instead of
     * reconnecting to the same event for ever. Keep it above the server bus's
     * `maxEventBytes` plus a few dozen characters of framing; the defaults
     * (8 Mi here, 4 MiB on the bus) are. @default 8 Mi
     */
    maxBlockChars: z.number().int().min(1024).default(DEFAULT_MAX_SSE_BLOCK_CHARS),
    /**
     * Failed connection attempts in a row (network error, retryable HTTP status)
     * before the iterator throws; a connection answered 2xx resets the count.
     * @default Infinity
     */
    maxRetries: z.union([z.number().int().nonnegative(), z.literal(Infinity)]).default(Infinity),
    /** Called with the `stream.opened` frame of each connection (transport frames are not yielded). */
    onOpen: z.custom<(data: StreamOpenedData) => void>(isFunction).optional(),
    /**
     * Told about every recoverable problem: invalid events (skipped),
     * disconnects, refused connections, gaps. Never called for an abort.
     */
    onError: z.custom<(error: EventsError) => void>(isFunction).optional(),
    /** Checks each event (see {@link ConnectEventStreamOptions}). @default parseEvent */
    validate: z.custom<ValidateEvent>(isFunction).optional(),
  })
  .refine((options) => options.minRetryMs <= options.maxRetryMs, {
    message: 'minRetryMs must not exceed maxRetryMs.',
  });

/**
 * The client of a session's event stream (CLI, voice, browser): yields each
 * event exactly once, in `seq` order, across reconnects.
 *
 * - Sends `accept: text/event-stream` and, once known, `Last-Event-ID` (the
 *   last `seq` received, seeded from `lastEventId`).
 * - Validates each event with `validate` (default `parseEvent`: envelope and
 *   payload): unknown types are yielded, invalid events are reported to
 *   `onError` and skipped, never fatal. The light client entry
 *   (`@switchboard/events/client`) has the same function without zod; it
 *   checks only the envelope unless given a `validate`.
 * - Drops duplicates (`seq <= lastSeq`); on a gap (`seq > lastSeq + 1`)
 *   reconnects from `lastSeq`.
 * - Reconnects after a drop or network error once `retryMs` passed (the
 *   server's `retry:` wins, clamped to `[minRetryMs, maxRetryMs]`); after
 *   consecutive connections without an event the delay doubles, with
 *   jitter, up to `maxRetryMs`. A 4xx other than 408/429, a non-SSE answer or
 *   a newer contract version throws `EVENTS_SSE_PROTOCOL`; so does running
 *   out of `maxRetries`. A block over `maxBlockChars` throws
 *   `EVENTS_EVENT_TOO_LARGE`. HTTP 204 ends the iteration (the server has
 *   nothing to stream).
 * - Aborting `signal`, or leaving a `for await` loop, closes the connection.
 *
 * ```ts
 * for await (const event of connectEventStream(`/sessions/${id}/events`, { signal })) render(event);
 * ```
 */
export function connectEventStream(
  url: string | URL,
  options: ConnectEventStreamOptions = {},
): AsyncIterable<AnyEvent> {
  const resolved = parseEventsOptions(connectEventStreamOptionsSchema, options);
  return readEventStream(String(url), { ...resolved, validate: resolved.validate ?? parseEvent });
}
