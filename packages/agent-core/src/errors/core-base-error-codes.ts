/** Error codes shared by every area of agent-core. */
export const CORE_BASE_ERROR_CODES = {
  /** Options failed their schema (every issue listed). */
  CORE_INVALID_OPTIONS: 'Options failed validation.',
  /** A hook threw, rejected or timed out; the caller went on without it. */
  CORE_HOOK_FAILED: 'A hook failed.',
} as const;
