import type { AttachmentLoader } from '../sessions/load-attachments.js';
import type { PendingResponse } from '../sessions/session-state.js';

/** Options of one run. */
export interface RunOptions {
  /** Cancels the run when aborted (same as `session.cancel()`). */
  signal?: AbortSignal;
  /** Loads `attachment:<id>` parts for the model; required for a message that has one. */
  attachments?: AttachmentLoader;
  /**
   * Extra system instructions for this run only (appended to the agent's);
   * not kept in the transcript. `generateReply({ instructions })` uses it.
   */
  instructions?: string;
  /**
   * At most this many rounds of tool calls in this run (LiveKit's
   * `max_tool_steps`; a voice session passes its own). The calls of a round
   * over the limit are not run (`loop.budget_exhausted {limit: 'tool_steps'}`,
   * `stopReason: 'max_steps'`). The agent's `maxTurns` (model calls per run)
   * still applies.
   */
  maxToolSteps?: number;
  /**
   * A speculative run (voice preemptive generation): it streams the model's
   * answer at once, but runs no tool and does not finish until
   * `handle.confirm()`; `handle.withdraw()` ends it leaving nothing in the
   * transcript.
   */
  preemptive?: boolean;
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
