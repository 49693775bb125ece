import { EventsError } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { CONTRACT_VERSION } from '../schema/envelope-schema.js';
import type { StreamOpened, StreamOpenedData } from './transport-events.js';

/**
 * One event as an SSE frame: `id: <seq>\ndata: <JSON>\n\n`.
 *
 * There is deliberately no `event:` line: with one, `EventSource.onmessage`
 * would not fire; the type lives inside the JSON. `JSON.stringify` escapes
 * line breaks inside strings and adds none of its own, so the payload is always
 * a single `data:` line.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export function encodeSseEvent(event: AnyEvent): string {
  return `id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * A comment frame (`: ping\n\n`), ignored by every SSE parser. Used as a
 * heartbeat so idle proxies keep the connection open. Each line of a
 * multi-line `text` becomes its own comment line.
 */
export function encodeSseComment(text: string): string {
  return `${text
    .split(/\r\n|\r|\n/)
    .map((line) => `: ${line}`)
    .join('\n')}\n\n`;
}

/**
 * A `retry:` frame: how long, in milliseconds, the client waits before
 * reconnecting. Throws `EVENTS_INVALID_OPTIONS` unless `ms` is a non-negative
 * integer (parsers ignore anything but digits).
 */
export function encodeSseRetry(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new EventsError({
      code: 'EVENTS_INVALID_OPTIONS',
      message: `retry must be a non-negative integer number of milliseconds, got ${ms}.`,
      details: { retryMs: ms },
    });
  }
  return `retry: ${ms}\n\n`;
}

/**
 * The transport-only `stream.opened` frame. It has no `id:` line, so it leaves
 * the client's Last-Event-ID untouched.
 */
export function encodeSseOpened(data: StreamOpenedData = {}): string {
  const frame: StreamOpened = {
    v: CONTRACT_VERSION,
    type: 'stream.opened',
    data: {
      ...(data.headSeq === undefined ? {} : { headSeq: data.headSeq }),
      ...(data.sessionId === undefined ? {} : { sessionId: data.sessionId }),
    },
  };
  return `data: ${JSON.stringify(frame)}\n\n`;
}
