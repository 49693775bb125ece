/** The process exit codes every command uses (see the README). */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** The run (or the command's work) failed. */
  FAILED: 1,
  /** Usage or configuration error: nothing was done. */
  USAGE: 2,
  /** Stopped awaiting an approval or an answer: `run --session <id> --approve <requestId>` continues. */
  AWAITING_INPUT: 3,
  /** Cancelled (SIGINT); what was produced is kept in the session. */
  CANCELLED: 130,
} as const;
