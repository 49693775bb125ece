/** Error codes of session stores. */
export const SESSION_ERROR_CODES = {
  /** A stored snapshot failed validation or was written by a newer version. Nothing was changed. */
  CORE_SESSION_CORRUPT: 'A stored session snapshot is invalid.',
  /** The session store could not be opened, read or written. */
  CORE_SESSION_STORE_FAILED: 'The session store failed.',
  /** Another handle or process holds the session's writer lease. */
  CORE_SESSION_LOCKED: 'Another writer holds the session.',
  /** A save was refused: the session changed under this handle (another writer took over). */
  CORE_SESSION_CONFLICT: 'The session was changed by another writer.',
  /** `importSession` got events that are not one session's log in order. Nothing was changed. */
  CORE_INVALID_IMPORT: "The events are not one session's log.",
  /**
   * A change of a session's snapshot that its current status does not allow
   * (pausing a run that is not running, finishing twice): a bug in the caller.
   * Nothing was changed.
   */
  CORE_INVALID_TRANSITION: 'The session cannot make that change in its current status.',
} as const;
