// @switchboard/agent-core/config: the configuration shared by the CLI and the web server.

export { loadConfig, loadConfigInputSchema } from './load-config.js';
export type { ConfigFlags, LoadConfigInput } from './load-config.js';
export { describeConfig, formatSource } from './describe-config.js';
export type { ConfigReportRow } from './describe-config.js';
export { CONFIG_KEYS, flagName } from './config-keys.js';
export type { ConfigKey, ConfigKeySpec } from './config-keys.js';
export { CONFIG_FILE_NAME, configFileSchema } from './config-file-schema.js';
export type { ConfigFile } from './config-file-schema.js';
export { CONFIG_ERROR_CODES } from './config-error-codes.js';
export { VOICE_MODES, VOICE_PROVIDERS } from './config-file-schema.js';
export { VOICE_KEY_SETTINGS } from './voice-config.js';
export type {
  CloudVoiceProviderName,
  VoiceConfig,
  VoiceEngineConfig,
  VoiceMode,
  VoiceProviderName,
} from './voice-config.js';
/** @deprecated Use `maskSecret` from `@switchboard/events` (the one redaction module). */
export { maskSecret as redactSecret } from '@switchboard/events';
export type { ConfigIssue, ReadTextFile } from './read-config-file.js';
export type {
  ConfigAgentOptions,
  ConfigSetting,
  ConfigSource,
  LangfuseSettings,
  ProviderConnection,
  SwitchboardConfig,
} from './switchboard-config.js';
