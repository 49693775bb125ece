import { z } from 'zod';
import { EventsError, parseEventsOptions } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { CONTRACT_VERSION } from '../schema/envelope-schema.js';
import { safeParseEvent } from '../schema/parse-event.js';
import { abortableDelay } from './abortable-delay.js';
import { DEFAULT_MAX_SSE_BLOCK_CHARS, decodeSseStream, type SseFrame } from './decode-sse.js';
import {
  TRANSPORT_EVENT_TYPES,
  streamOpenedSchema,
  type StreamOpenedData,
} from './transport-events.js';

/** The part of `fetch` the client uses (inject one for tests, auth or a proxy). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

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
  })
  .refine((options) => options.minRetryMs <= options.maxRetryMs, {
    message: 'minRetryMs must not exceed maxRetryMs.',
  });

/** What you pass to {@link connectEventStream}. */
export type ConnectEventStreamOptions = z.input<typeof connectEventStreamOptionsSchema>;

type Resolved = z.output<typeof connectEventStreamOptionsSchema>;

/**
 * The client of a session's event stream (CLI, voice, browser): yields each
 * event exactly once, in `seq` order, across reconnects.
 *
 * - Sends `accept: text/event-stream` and, once known, `Last-Event-ID` (the
 *   last `seq` received, seeded from `lastEventId`).
 * - Validates each event with `safeParseEvent`: unknown types are yielded,
 *   invalid events are reported to `onError` and skipped, never fatal.
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
  return streamEvents(String(url), resolved);
}

async function* streamEvents(url: string, options: Resolved): AsyncGenerator<AnyEvent> {
  const { signal, maxRetries, onError } = options;
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let lastSeq = options.lastEventId === undefined ? undefined : Number(options.lastEventId);
  let retryMs = options.retryMs;
  let failures = 0;
  // Connections in a row that brought no event (refused, dropped, or closed at once).
  let fruitless = 0;
  const backoff = () => {
    fruitless += 1;
    return abortableDelay(backoffDelay(retryMs, fruitless, options), signal);
  };
  const failed = async (error: EventsError): Promise<void> => {
    onError?.(error);
    failures += 1;
    if (!error.retryable || failures > maxRetries) throw error;
    await backoff();
  };

  while (!signal?.aborted) {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: requestHeaders(options.headers, lastSeq),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) return;
      await failed(
        protocolError(`Could not reach the event stream: ${messageOf(error)}`, {
          cause: error,
          retryable: true,
        }),
      );
      continue;
    }
    if (response.status === 204) {
      await response.body?.cancel().catch(() => {});
      return;
    }
    const refusal = checkResponse(response);
    if (refusal || !response.body) {
      await response.body?.cancel().catch(() => {});
      await failed(
        refusal ?? protocolError('The event stream answered without a body.', { retryable: true }),
      );
      continue;
    }
    failures = 0;
    let yielded = 0;
    let gap = false;
    try {
      for await (const frame of decodeSseStream(response.body, {
        maxBlockChars: options.maxBlockChars,
      })) {
        if (frame.retry !== undefined) {
          retryMs = Math.min(Math.max(frame.retry, options.minRetryMs), options.maxRetryMs);
        }
        const outcome = readFrame(frame, lastSeq, options);
        if (outcome.kind === 'gap') {
          onError?.(
            protocolError(
              `Events ${lastSeq! + 1}..${outcome.seq - 1} are missing; resuming after ${lastSeq}.`,
              {
                retryable: true,
                details: { lastSeq, seq: outcome.seq },
              },
            ),
          );
          gap = true;
          break;
        }
        if (outcome.kind === 'skip') continue;
        lastSeq = outcome.seq;
        if (outcome.event) {
          yielded += 1;
          fruitless = 0;
          yield outcome.event;
          if (signal?.aborted) return;
        }
      }
    } catch (error) {
      if (signal?.aborted) return;
      // Reconnecting would bring the same oversized block again: stop and say why.
      if (isBlockTooLarge(error)) throw blockTooLarge(error, lastSeq, options.maxBlockChars);
      onError?.(
        protocolError(`The event stream broke: ${messageOf(error)}`, {
          cause: error,
          retryable: true,
        }),
      );
    }
    if (signal?.aborted) return;
    // A gap after progress is a hiccup: resume at once. Anything else waits, so a bad server is not hammered.
    if (!(gap && yielded > 0)) await (yielded > 0 ? abortableDelay(retryMs, signal) : backoff());
  }
}

/**
 * The wait before reconnect number `attempt` of a run without events:
 * `retryMs` doubled per attempt, capped at `maxRetryMs`, then jittered into
 * its upper half so many clients dropped at once do not return in step.
 */
function backoffDelay(
  retryMs: number,
  attempt: number,
  { minRetryMs, maxRetryMs }: Pick<Resolved, 'minRetryMs' | 'maxRetryMs'>,
): number {
  const capped = Math.min(retryMs * 2 ** Math.min(attempt - 1, 30), maxRetryMs);
  return Math.max(Math.min(retryMs, minRetryMs), capped / 2 + Math.random() * (capped / 2));
}

function isBlockTooLarge(error: unknown): error is EventsError {
  return (
    error instanceof EventsError &&
    error.code === 'EVENTS_SSE_PROTOCOL' &&
    typeof error.details?.limit === 'number'
  );
}

function blockTooLarge(
  cause: EventsError,
  lastSeq: number | undefined,
  limit: number,
): EventsError {
  return new EventsError({
    code: 'EVENTS_EVENT_TOO_LARGE',
    message: `An event after seq ${lastSeq ?? 0} is larger than maxBlockChars (${limit}); reconnecting would fetch it again. Raise maxBlockChars above the server bus's maxEventBytes, or lower that.`,
    details: { ...cause.details, lastSeq },
    cause,
  });
}

type FrameOutcome =
  | { kind: 'skip' }
  | { kind: 'gap'; seq: number }
  | { kind: 'next'; seq: number; event: AnyEvent | undefined };

/** Decides what one frame means for a client that has seen up to `lastSeq`. */
function readFrame(frame: SseFrame, lastSeq: number | undefined, options: Resolved): FrameOutcome {
  if (frame.data === '') return { kind: 'skip' };
  let raw: unknown;
  try {
    raw = JSON.parse(frame.data);
  } catch (error) {
    options.onError?.(
      protocolError('An event stream frame is not JSON.', {
        cause: error,
        details: { id: frame.id },
      }),
    );
    return { kind: 'skip' };
  }
  const type =
    typeof raw === 'object' && raw != null ? (raw as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && TRANSPORT_EVENT_TYPES.has(type)) {
    const opened = streamOpenedSchema.safeParse(raw);
    if (opened.success) options.onOpen?.(opened.data.data);
    else options.onError?.(protocolError(`Invalid '${type}' frame.`, { details: { type } }));
    return { kind: 'skip' };
  }
  const parsed = safeParseEvent(raw);
  // An invalid event still occupies its seq: step over it, or it would look like a gap forever.
  const seq = parsed.success ? parsed.event.seq : seqOf(raw);
  if (seq === undefined) {
    if (!parsed.success) options.onError?.(parsed.error);
    return { kind: 'skip' };
  }
  if (lastSeq !== undefined && seq <= lastSeq) return { kind: 'skip' };
  if (lastSeq !== undefined && seq > lastSeq + 1) return { kind: 'gap', seq };
  if (!parsed.success) options.onError?.(parsed.error);
  return { kind: 'next', seq, event: parsed.success ? parsed.event : undefined };
}

function requestHeaders(
  extra: Record<string, string> | undefined,
  lastSeq: number | undefined,
): Headers {
  const headers = new Headers(extra);
  headers.set('accept', 'text/event-stream');
  if (lastSeq !== undefined) headers.set('last-event-id', String(lastSeq));
  return headers;
}

/** Why a response cannot be read as our event stream, or undefined when it can. */
function checkResponse(response: Response): EventsError | undefined {
  const { status } = response;
  if (!response.ok) {
    const retryable = status >= 500 || status === 408 || status === 429 || status < 400;
    return protocolError(`The event stream answered HTTP ${status}.`, {
      retryable,
      details: { status },
    });
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (!/^text\/event-stream\b/i.test(contentType)) {
    return protocolError('The response is not an event stream.', {
      details: { status, contentType },
    });
  }
  const version = Number(response.headers.get('x-switchboard-events') ?? CONTRACT_VERSION);
  if (version > CONTRACT_VERSION) {
    return protocolError(
      `The stream speaks contract v${version}, newer than v${CONTRACT_VERSION}; upgrade @switchboard/events.`,
      {
        details: { v: version },
      },
    );
  }
  return undefined;
}

function seqOf(raw: unknown): number | undefined {
  const seq = typeof raw === 'object' && raw != null ? (raw as { seq?: unknown }).seq : undefined;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

function messageOf(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return cause instanceof Error ? `${message} (${cause.message})` : message;
}

function protocolError(
  message: string,
  extra: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
): EventsError {
  return new EventsError({ code: 'EVENTS_SSE_PROTOCOL', message, ...extra });
}
