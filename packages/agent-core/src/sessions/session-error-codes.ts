/** Error codes of session stores. */
export const SESSION_ERROR_CODES = {
  /** A stored snapshot failed validation or was written by a newer version. Nothing was changed. */
  CORE_SESSION_CORRUPT: 'A stored session snapshot is invalid.',
  /** The session store could not be opened, read or written. */
  CORE_SESSION_STORE_FAILED: 'The session store failed.',
} as const;
