/** Error codes of the agent loop, sessions' run control and its options. */
export const LOOP_ERROR_CODES = {
  /** No model was configured. */
  CORE_NO_MODEL: 'No model configured.',
  /** The run was cancelled (AbortSignal or session.cancel()). */
  CORE_CANCELLED: 'The run was cancelled.',
  /** An unexpected error inside the loop; a bug to report. */
  CORE_INTERNAL: 'Unexpected error in the agent loop.',
  /** The model failed and the next fallback model took over (a notice, not a failure). */
  CORE_MODEL_FALLBACK: 'Fell back to the next model.',
  /** A user message with no text. */
  CORE_EMPTY_INPUT: 'The user message is empty.',
  /** run() or steer() with something that is not a message at all (null, a number). */
  CORE_INVALID_INPUT: 'The input is not a message.',
  /** A user message part no model can take (a diff, a terminal, an unknown type). */
  CORE_UNSUPPORTED_INPUT: 'A part of the user message cannot be sent to a model.',
  /** run() while another run of the session is active. */
  CORE_SESSION_BUSY: 'The session already has an active run.',
  /** run() while the session waits for approvals. */
  CORE_SESSION_AWAITING_INPUT: 'The session is waiting for answers.',
  /** Anything but close() on a closed session. */
  CORE_SESSION_CLOSED: 'The session is closed.',
  /** createSession() with the id of a stored session. */
  CORE_SESSION_EXISTS: 'A session with this id exists.',
  /** loadSession() with an unknown id. */
  CORE_SESSION_NOT_FOUND: 'No such session.',
  /** resume() without a paused run. */
  CORE_NOTHING_TO_RESUME: 'No paused run to resume.',
  /** resume() while some requests have no answer. */
  CORE_PENDING_UNANSWERED: 'Some requests still need an answer.',
  /** respond() to an unknown or answered request. */
  CORE_NO_PENDING_REQUEST: 'No such open request.',
  /** respond() with the wrong shape for the request (approval vs answer). */
  CORE_INVALID_RESPONSE: 'The answer does not fit the request.',
  /** The run was cut short by the user speaking over its reply (`truncateReply()`). */
  CORE_INTERRUPTED: 'The run was interrupted.',
  /** The run was withdrawn (`handle.withdraw()`): it leaves nothing in the transcript. */
  CORE_WITHDRAWN: 'The run was withdrawn.',
  /** The tool calls of a round over the run's `maxToolSteps` were not run. */
  CORE_MAX_TOOL_STEPS: "The run's tool-step limit was reached.",
  /** truncateReply() for a run that added no assistant text to the transcript. */
  CORE_RUN_NOT_FOUND: 'No reply of that run in the transcript.',
} as const;
