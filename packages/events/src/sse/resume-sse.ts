import { z } from 'zod';
import { EventsError, parseEventsOptions } from '../errors/events-error.js';
import type { EventLog } from '../log/event-log.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { createSseStream } from './create-sse-stream.js';

const cursorPattern = /^\d{1,16}$/;

/**
 * Reads a resume cursor: a `Last-Event-ID` header or an `?after=` query value,
 * which is a plain `seq`. Missing or empty means "no cursor" (`undefined`).
 * Anything else throws `EVENTS_INVALID_CURSOR` with `details.reason:
 * 'malformed'` (answer HTTP 400).
 */
export function parseLastEventId(header: string | undefined | null): number | undefined {
  if (header == null) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  const seq = cursorPattern.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seq)) {
    throw new EventsError({
      code: 'EVENTS_INVALID_CURSOR',
      message: 'The resume cursor must be a non-negative integer seq.',
      details: { reason: 'malformed', cursor: value.slice(0, 64) },
    });
  }
  return seq;
}

/** Options of {@link createResumableEventStream}, parsed once. */
export const resumableEventStreamOptionsSchema = z.object({
  /** The raw `Last-Event-ID` request header. Wins over `afterSeq` when present. */
  lastEventId: z.string().nullish(),
  /** Resume after this `seq` (e.g. from `?after=`). @default 0 (replay the whole session) */
  afterSeq: z.number().int().nonnegative().optional(),
  /** Ends the stream (and the log subscription) when aborted. */
  signal: z.custom<AbortSignal>((value) => typeof value === 'object' && value != null).optional(),
  /** Heartbeat interval in milliseconds; 0 disables it. @default 15000 */
  keepAliveMs: z.number().int().nonnegative().optional(),
  /** Client reconnection delay in milliseconds, sent as `retry:`. Omitted when unset. */
  retryMs: z.number().int().nonnegative().optional(),
});

/** What you pass to {@link createResumableEventStream}. */
export type ResumableEventStreamOptions = z.input<typeof resumableEventStreamOptionsSchema>;

/**
 * The server side of a resumable session stream: replays the session's stored
 * events after the cursor, then continues live, without gaps or duplicates
 * (`log.subscribe` listens before it reads). The cursor is the
 * `Last-Event-ID` header, else `afterSeq`, else 0 (the whole session; pass the
 * head as `afterSeq` for live only).
 *
 * It resolves only once the cursor is checked, so the caller can still choose
 * the HTTP status: it rejects with `EVENTS_INVALID_CURSOR` when the cursor is
 * malformed (`details.reason: 'malformed'`, answer 400) or beyond the log head
 * (`'beyond-head'`, answer 409: the client holds events this log never
 * stored). Cancelling the stream ends the log subscription.
 *
 * ```ts
 * const stream = await createResumableEventStream(log, sessionId, {
 *   lastEventId: request.headers.get('last-event-id'),
 *   afterSeq: parseLastEventId(url.searchParams.get('after')),
 * });
 * return new Response(stream.pipeThrough(new TextEncoderStream()), { headers: SSE_HEADERS });
 * ```
 */
export async function createResumableEventStream(
  log: EventLog,
  sessionId: string,
  options: ResumableEventStreamOptions = {},
): Promise<ReadableStream<string>> {
  const { lastEventId, afterSeq, signal, keepAliveMs, retryMs } = parseEventsOptions(
    resumableEventStreamOptionsSchema,
    options,
  );
  const { cursor, headSeq } = await resolveResumeCursor(log, sessionId, {
    lastEventId,
    ...(afterSeq === undefined ? {} : { afterSeq }),
  });
  return createSseStream(subscribeUntilReturned(log, sessionId, cursor), {
    ...(keepAliveMs === undefined ? {} : { keepAliveMs }),
    ...(retryMs === undefined ? {} : { retryMs }),
    ...(signal === undefined ? {} : { signal }),
    headSeq,
    sessionId,
  });
}

/**
 * The cursor rules of a resumable stream, for a server that writes the
 * frames itself: the cursor is `lastEventId` (a raw `Last-Event-ID` header)
 * when present, else `afterSeq`, else 0, and it may not be beyond the
 * session's last stored event. Returns the cursor and that head (for the
 * `stream.opened` frame). Rejects with `EVENTS_INVALID_CURSOR`: `details.reason`
 * `'malformed'` (answer 400) or `'beyond-head'` (answer 409).
 */
export async function resolveResumeCursor(
  log: Pick<EventLog, 'head'>,
  sessionId: string,
  { lastEventId, afterSeq }: { lastEventId?: string | null; afterSeq?: number },
): Promise<{ cursor: number; headSeq: number }> {
  const cursor = parseLastEventId(lastEventId) ?? afterSeq ?? 0;
  const head = await log.head(sessionId);
  if (cursor > head.seq) {
    throw new EventsError({
      code: 'EVENTS_INVALID_CURSOR',
      message: `The resume cursor ${cursor} is beyond the last stored event ${head.seq} of the session.`,
      details: { reason: 'beyond-head', cursor, headSeq: head.seq, sessionId },
    });
  }
  return { cursor, headSeq: head.seq };
}

/**
 * The log subscription, aborted when the stream calls `return()`: a
 * subscription waiting for live events would otherwise only notice the
 * `return()` after the next event arrives.
 */
function subscribeUntilReturned(
  log: EventLog,
  sessionId: string,
  afterSeq: number,
): AsyncIterable<AnyEvent> {
  return {
    [Symbol.asyncIterator]: () => {
      const stop = new AbortController();
      const events = log.subscribe(sessionId, { afterSeq, signal: stop.signal });
      const iterator = events[Symbol.asyncIterator]();
      return {
        next: () => iterator.next(),
        return: (value?: unknown) => {
          stop.abort();
          return iterator.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}
