import { EventsError } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { CONTRACT_VERSION } from '../schema/contract-version.js';
import { abortableDelay } from './abortable-delay.js';
import type { FetchLike, ResolvedConnectOptions } from './connect-options.js';
import { decodeSseStream, type SseFrame } from './decode-sse.js';
import { TRANSPORT_EVENT_TYPES, isObject, readStreamOpened } from './transport-types.js';

type Resolved = ResolvedConnectOptions;

/**
 * The event stream client's loop, shared by both entries' `connectEventStream`
 * (they differ in how they check options and events, not in how they read):
 * connects, yields each event once in `seq` order, reconnects with
 * `Last-Event-ID`. Has no zod in it, so the light client entry can carry it.
 */
export async function* readEventStream(url: string, options: Resolved): AsyncGenerator<AnyEvent> {
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
  const type = isObject(raw) ? raw.type : undefined;
  if (typeof type === 'string' && TRANSPORT_EVENT_TYPES.has(type)) {
    const opened = readStreamOpened(raw);
    if (opened) options.onOpen?.(opened);
    else options.onError?.(protocolError(`Invalid '${type}' frame.`, { details: { type } }));
    return { kind: 'skip' };
  }
  const checked = validateFrame(raw, options.validate);
  // An invalid event still occupies its seq: step over it, or it would look like a gap forever.
  const seq = checked.event ? checked.event.seq : seqOf(raw);
  if (seq === undefined) {
    if (checked.error) options.onError?.(checked.error);
    return { kind: 'skip' };
  }
  if (lastSeq !== undefined && seq <= lastSeq) return { kind: 'skip' };
  if (lastSeq !== undefined && seq > lastSeq + 1) return { kind: 'gap', seq };
  if (checked.error) options.onError?.(checked.error);
  return { kind: 'next', seq, event: checked.event };
}

/** Runs the injected check; whatever it throws becomes an `EventsError` to report. */
function validateFrame(
  raw: unknown,
  validate: Resolved['validate'],
): { event: AnyEvent; error?: undefined } | { event?: undefined; error: EventsError } {
  try {
    return { event: validate(raw) };
  } catch (error) {
    if (error instanceof EventsError) return { error };
    return {
      error: new EventsError({
        code: 'EVENTS_INVALID_EVENT',
        message: `Invalid event: ${messageOf(error)}`,
        cause: error,
      }),
    };
  }
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
  const seq = isObject(raw) ? raw.seq : undefined;
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
