import { CONTRACT_VERSION } from '../schema/contract-version.js';
import type { StreamOpenedData } from './transport-events.js';

/**
 * Types that exist only on the wire of an SSE stream, never in a log. A client
 * handles them itself and does not pass them to its consumer.
 */
export const TRANSPORT_EVENT_TYPES: ReadonlySet<string> = new Set(['stream.opened']);

/**
 * The payload of a `stream.opened` frame, or undefined when the frame is not
 * a valid one. The same rules as `streamOpenedSchema`, checked by hand so the
 * SSE client needs no zod.
 */
export function readStreamOpened(raw: unknown): StreamOpenedData | undefined {
  if (!isObject(raw) || raw.v !== CONTRACT_VERSION || raw.type !== 'stream.opened')
    return undefined;
  const { data } = raw;
  if (!isObject(data)) return undefined;
  const { headSeq, sessionId } = data;
  const seqOk =
    headSeq === undefined ||
    (typeof headSeq === 'number' && Number.isSafeInteger(headSeq) && headSeq >= 0);
  const sessionOk =
    sessionId === undefined || (typeof sessionId === 'string' && sessionId.length > 0);
  return seqOk && sessionOk ? data : undefined;
}

/** A plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value != null && !Array.isArray(value);
}
