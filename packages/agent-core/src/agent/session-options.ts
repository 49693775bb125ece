import type { AttachmentLoader } from '../sessions/load-attachments.js';
import type { PendingResponse } from '../sessions/session-state.js';

/** Options of one run. */
export interface RunOptions {
  /** Cancels the run when aborted (same as `session.cancel()`). */
  signal?: AbortSignal;
  /** Loads `attachment:<id>` parts for the model; required for a message that has one. */
  attachments?: AttachmentLoader;
}

/**
 * An answer to a pending request: an approval (`always` also approves the
 * tool for the rest of the session) or the answer to an `ask_user` question.
 */
export type RequestResponse = PendingResponse;

/** @internal What a session offers besides the agent's options (`agent.run` turns both off). */
export interface SessionFeatures {
  /** Offer the built-in `ask_user` tool (when the agent's `clarify` option allows it). @default true */
  askUser?: boolean;
  /** Generate a title after the first exchange (when the agent's `titles` option allows it). @default true */
  titles?: boolean;
}
