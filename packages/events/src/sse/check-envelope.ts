import { EventsError } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { CONTRACT_VERSION } from '../schema/contract-version.js';
import { isObject } from './transport-types.js';

const isNonEmptyString = (value: unknown) => typeof value === 'string' && value.length > 0;
const isCount = (value: unknown, min: number) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min;

/**
 * The cheap check the light client applies to each streamed event: the
 * envelope's fields have the contract's types (`v`, `type`, `seq`, `ts`,
 * `sessionId`, the optional scope fields). Payloads (`data`) are not
 * checked, which is what keeps zod and the schemas out of the client; pass
 * `parseEvent` from the main entry as `validate` for the full check. Throws
 * `EVENTS_UNSUPPORTED_VERSION` for a newer contract, `EVENTS_INVALID_EVENT`
 * naming every bad field otherwise.
 */
export function checkEnvelope(raw: unknown): AnyEvent {
  if (isObject(raw) && typeof raw.v === 'number' && raw.v > CONTRACT_VERSION) {
    throw new EventsError({
      code: 'EVENTS_UNSUPPORTED_VERSION',
      message: `Event contract v${raw.v} is newer than v${CONTRACT_VERSION}; upgrade @switchboard/events.`,
      details: { v: raw.v },
    });
  }
  const issues = envelopeIssues(raw);
  if (issues.length === 0 && isEnvelope(raw)) return raw;
  throw new EventsError({
    code: 'EVENTS_INVALID_EVENT',
    message: `Invalid event: ${issues.join('; ')}`,
    details: { issues },
  });
}

/** True when `raw` has the envelope's shape (see {@link checkEnvelope}). */
export function isEnvelope(raw: unknown): raw is AnyEvent {
  return envelopeIssues(raw).length === 0;
}

function envelopeIssues(raw: unknown): string[] {
  if (!isObject(raw)) return ['(root): expected an object'];
  const issues: string[] = [];
  const check = (ok: boolean, key: string, expected: string) => {
    if (!ok) issues.push(`${key}: expected ${expected}`);
  };
  const optional = (key: string, test: (value: unknown) => boolean, expected: string) =>
    check(raw[key] === undefined || test(raw[key]), key, expected);
  check(raw.v === CONTRACT_VERSION, 'v', String(CONTRACT_VERSION));
  check(isNonEmptyString(raw.type), 'type', 'a non-empty string');
  check(isCount(raw.seq, 1), 'seq', 'a positive integer');
  check(isCount(raw.ts, 0), 'ts', 'a non-negative integer');
  check(isNonEmptyString(raw.sessionId), 'sessionId', 'a non-empty string');
  optional('runId', isNonEmptyString, 'a non-empty string');
  optional('parentRunId', isNonEmptyString, 'a non-empty string');
  optional('stepIndex', (value) => isCount(value, 0), 'a non-negative integer');
  optional('traceparent', (value) => typeof value === 'string', 'a string');
  optional('meta', isObject, 'an object');
  return issues;
}
