import type { SwitchboardError } from '@switchboard/events';
import { WEBUI_ERROR_CODES, type WebuiErrorCode } from './webui-server-error.js';

/**
 * HTTP statuses of the other packages' codes that a request can cause. A
 * code not listed here is a server-side failure (500). Kept as data so the
 * mapping is reviewed in one place and tested row by row.
 */
export const FOREIGN_CODE_STATUS: Readonly<Record<string, number>> = {
  // The request itself is wrong.
  CORE_INVALID_INPUT: 400,
  CORE_EMPTY_INPUT: 400,
  CORE_UNSUPPORTED_INPUT: 400,
  CORE_INVALID_RESPONSE: 400,
  CORE_MODEL_NOT_ALLOWED: 400,
  CORE_INVALID_IMPORT: 400,
  // Something named in the path does not exist.
  CORE_SESSION_NOT_FOUND: 404,
  CORE_NO_PENDING_REQUEST: 404,
  // The session is in a state that does not allow it now.
  CORE_SESSION_BUSY: 409,
  CORE_SESSION_AWAITING_INPUT: 409,
  CORE_SESSION_LOCKED: 409,
  CORE_SESSION_CONFLICT: 409,
  CORE_SESSION_EXISTS: 409,
  CORE_SESSION_CLOSED: 409,
  CORE_NOTHING_TO_RESUME: 409,
  CORE_PENDING_UNANSWERED: 409,
  // Nothing to run with.
  CORE_NO_MODEL: 503,
};

/** The HTTP status for an error code: ours from the table, foreign ones from {@link FOREIGN_CODE_STATUS}. */
export function statusOfCode(code: string): number {
  if (isWebuiCode(code)) return WEBUI_ERROR_CODES[code].status || 500;
  return FOREIGN_CODE_STATUS[code] ?? 500;
}

/**
 * The HTTP status of any Switchboard error. `EVENTS_INVALID_CURSOR` depends on
 * its reason: a malformed cursor is the client's mistake (400); one beyond the
 * log head means the client holds events this log never stored (409).
 */
export function statusOfError(error: SwitchboardError): number {
  if (error.code === 'EVENTS_INVALID_CURSOR')
    return error.details?.reason === 'beyond-head' ? 409 : 400;
  return statusOfCode(error.code);
}

function isWebuiCode(code: string): code is WebuiErrorCode {
  return Object.hasOwn(WEBUI_ERROR_CODES, code);
}
