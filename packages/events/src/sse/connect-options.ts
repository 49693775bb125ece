import { EventsError } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { DEFAULT_MAX_SSE_BLOCK_CHARS } from './decode-sse.js';
import type { StreamOpenedData } from './transport-events.js';

/** The part of `fetch` the client uses (inject one for tests, auth or a proxy). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Checks one parsed frame and returns it as an event, or throws (an
 * `EventsError` is reported as is; anything else as `EVENTS_INVALID_EVENT`).
 */
export type ValidateEvent = (raw: unknown) => AnyEvent;

/** What you pass to `connectEventStream`. */
export interface ConnectEventStreamOptions {
  /**
   * The last `seq` this client already has (e.g. stored from an earlier
   * visit). Sent as `Last-Event-ID` on every connection until a newer event
   * arrives, also if the first connection drops before any event.
   */
  lastEventId?: number | string;
  /** @default globalThis.fetch (looked up at each connection) */
  fetch?: FetchLike;
  /** Extra request headers (e.g. `authorization`). `accept` and `last-event-id` are set by the client. */
  headers?: Record<string, string>;
  /** Aborting it ends the iteration cleanly (no error) and closes the connection. */
  signal?: AbortSignal;
  /** Delay before reconnecting, in milliseconds, until the server sends its own `retry:`. @default 1000 */
  retryMs?: number;
  /**
   * Bounds of a server's `retry:` (a `retry: 0` would make the client hammer
   * the server; a huge one would make it wait for ever) and of the backoff:
   * after consecutive connections that brought no event, the delay doubles
   * (with jitter) up to `maxRetryMs`. @default 250 and 60000
   */
  minRetryMs?: number;
  maxRetryMs?: number;
  /**
   * Largest SSE block (one event's `id:` and `data:` lines), in characters. A
   * larger block ends the iteration with `EVENTS_EVENT_TOO_LARGE` instead of
   * reconnecting to the same event for ever. Keep it above the server bus's
   * `maxEventBytes` plus a few dozen characters of framing; the defaults
   * (8 Mi here, 4 MiB on the bus) are. @default 8 Mi
   */
  maxBlockChars?: number;
  /**
   * Failed connection attempts in a row (network error, retryable HTTP status)
   * before the iterator throws; a connection answered 2xx resets the count.
   * @default Infinity
   */
  maxRetries?: number;
  /**
   * Checks each event. Invalid ones are reported to `onError` and skipped;
   * unknown types pass. @default the main entry's `parseEvent` (envelope and
   * payload) from `@switchboard/events`; the envelope check `checkEnvelope`
   * from `@switchboard/events/client`, which carries no schemas.
   */
  validate?: ValidateEvent;
  /** Called with the `stream.opened` frame of each connection (transport frames are not yielded). */
  onOpen?: (data: StreamOpenedData) => void;
  /**
   * Told about every recoverable problem: invalid events (skipped),
   * disconnects, refused connections, gaps. Never called for an abort.
   */
  onError?: (error: EventsError) => void;
}

/** The options with their defaults applied (what the stream reader runs on). */
export type ResolvedConnectOptions = Omit<
  ConnectEventStreamOptions,
  'retryMs' | 'minRetryMs' | 'maxRetryMs' | 'maxBlockChars' | 'maxRetries' | 'validate'
> & {
  retryMs: number;
  minRetryMs: number;
  maxRetryMs: number;
  maxBlockChars: number;
  maxRetries: number;
  validate: ValidateEvent;
};

const isFunctionOrAbsent = (value: unknown) => value === undefined || typeof value === 'function';
const isInteger = (value: unknown, min: number) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min;

/**
 * Applies the defaults and checks the options by hand (the same rules as the
 * main entry's `connectEventStreamOptionsSchema`, without zod). Throws
 * `EVENTS_INVALID_OPTIONS` listing every bad option.
 */
export function resolveConnectOptions(
  options: ConnectEventStreamOptions,
  defaultValidate: ValidateEvent,
): ResolvedConnectOptions {
  const resolved: ResolvedConnectOptions = {
    ...options,
    retryMs: options.retryMs ?? 1000,
    minRetryMs: options.minRetryMs ?? 250,
    maxRetryMs: options.maxRetryMs ?? 60_000,
    maxBlockChars: options.maxBlockChars ?? DEFAULT_MAX_SSE_BLOCK_CHARS,
    maxRetries: options.maxRetries ?? Infinity,
    validate: options.validate ?? defaultValidate,
  };
  const issues: string[] = [];
  const check = (ok: boolean, key: string, expected: string) => {
    if (!ok) issues.push(`${key}: expected ${expected}`);
  };
  const { lastEventId, headers, signal } = options;
  check(
    lastEventId === undefined ||
      isInteger(lastEventId, 0) ||
      (typeof lastEventId === 'string' && /^\d{1,15}$/.test(lastEventId)),
    'lastEventId',
    'a non-negative integer or its decimal string',
  );
  check(
    headers === undefined ||
      (typeof headers === 'object' &&
        headers != null &&
        Object.values(headers).every((value) => typeof value === 'string')),
    'headers',
    'an object of strings',
  );
  check(
    signal === undefined || (typeof signal === 'object' && signal != null),
    'signal',
    'an AbortSignal',
  );
  for (const key of ['fetch', 'validate', 'onOpen', 'onError'] as const)
    check(isFunctionOrAbsent(options[key]), key, 'a function');
  check(isInteger(resolved.retryMs, 0), 'retryMs', 'a non-negative integer');
  check(isInteger(resolved.minRetryMs, 0), 'minRetryMs', 'a non-negative integer');
  check(isInteger(resolved.maxRetryMs, 1), 'maxRetryMs', 'a positive integer');
  check(isInteger(resolved.maxBlockChars, 1024), 'maxBlockChars', 'an integer of at least 1024');
  check(
    resolved.maxRetries === Infinity || isInteger(resolved.maxRetries, 0),
    'maxRetries',
    'a non-negative integer or Infinity',
  );
  if (issues.length === 0 && resolved.minRetryMs > resolved.maxRetryMs)
    issues.push('(root): minRetryMs must not exceed maxRetryMs.');
  if (issues.length > 0) {
    throw new EventsError({
      code: 'EVENTS_INVALID_OPTIONS',
      message: `Invalid options: ${issues.join('; ')}`,
      details: { issues },
    });
  }
  return resolved;
}
