/** Error codes of the configuration loader (`@switchboard/agent-core/config`). */
export const CONFIG_ERROR_CODES = {
  /** A value in a config file, an environment variable or a flag is wrong, or a file has an unknown key. */
  CORE_CONFIG_INVALID: 'The configuration is invalid.',
  /** A config file exists but cannot be read (permissions, a directory in its place). */
  CORE_CONFIG_UNREADABLE: 'A config file cannot be read.',
  /** A config file is not valid JSON. */
  CORE_CONFIG_SYNTAX: 'A config file is not valid JSON.',
} as const;
