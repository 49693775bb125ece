/**
 * One row per configuration key: where it may come from and what it falls
 * back to. The loader, the `doctor` report and the README table all follow
 * this table, so a key added here is documented and reported everywhere.
 */
export interface ConfigKeySpec {
  /** The key in `switchboard.config.json`, dotted for nested objects (`server.port`). */
  readonly key: string;
  /** The property of `flags` (the CLI's `--kebab-case` option), if a flag may set it. */
  readonly flag?: string;
  /** Environment variables, first set one wins. */
  readonly env: readonly string[];
  /** The default, in words, when nothing sets it. */
  readonly default?: string;
  /** Shown redacted (`sk-…abcd`) in the source report. */
  readonly secret?: boolean;
  /** A filesystem path: `~` is expanded and relative paths resolved (see README). */
  readonly path?: boolean;
}

/** Every configuration key, in the order the `doctor` report lists them. */
export const CONFIG_KEYS = [
  { key: 'model', flag: 'model', env: ['SWITCHBOARD_MODEL'] },
  { key: 'fallbackModels', env: [], default: '[]' },
  { key: 'models', env: [], default: '[]' },
  { key: 'baseUrl', flag: 'baseUrl', env: ['SWITCHBOARD_BASE_URL'] },
  { key: 'apiKey', flag: 'apiKey', env: ['SWITCHBOARD_API_KEY'], secret: true },
  { key: 'providers.openai.apiKey', env: ['OPENAI_API_KEY'], secret: true },
  { key: 'providers.openai.baseUrl', env: ['OPENAI_BASE_URL'] },
  { key: 'providers.anthropic.apiKey', env: ['ANTHROPIC_API_KEY'], secret: true },
  { key: 'providers.anthropic.baseUrl', env: ['ANTHROPIC_BASE_URL'] },
  { key: 'providers.ollama.baseUrl', env: ['OLLAMA_BASE_URL'] },
  // Speech vendors (voice only): OpenAI's voice uses providers.openai.apiKey.
  { key: 'providers.deepgram.apiKey', env: ['DEEPGRAM_API_KEY'], secret: true },
  { key: 'providers.elevenlabs.apiKey', env: ['ELEVENLABS_API_KEY'], secret: true },
  {
    key: 'home',
    flag: 'home',
    env: ['SWITCHBOARD_HOME'],
    default: '~/.switchboard',
    path: true,
  },
  { key: 'stores.sessionsDb', env: [], default: '<home>/sessions.db', path: true },
  { key: 'stores.eventsDb', env: [], default: '<home>/events.db', path: true },
  { key: 'stores.jsonlDir', env: [], default: '<home>/events', path: true },
  { key: 'stores.attachmentsDir', env: [], default: '<home>/attachments', path: true },
  // Set: the server and the CLI keep sessions and events in PostgreSQL instead of the SQLite files.
  { key: 'stores.databaseUrl', env: ['SWITCHBOARD_DATABASE_URL'], secret: true },
  // A session's lease: a crashed holder's sessions are taken over after it (30 s, DEFAULT_LEASE_MS).
  { key: 'stores.leaseMs', env: ['SWITCHBOARD_LEASE_MS'], default: '30000' },
  // A server gives an idle session's lease up this long after its last use (with a database URL).
  { key: 'stores.idleReleaseMs', env: ['SWITCHBOARD_IDLE_RELEASE_MS'] },
  { key: 'tracing.langfuse.publicKey', env: ['LANGFUSE_PUBLIC_KEY'] },
  { key: 'tracing.langfuse.secretKey', env: ['LANGFUSE_SECRET_KEY'], secret: true },
  { key: 'tracing.langfuse.baseUrl', env: ['LANGFUSE_BASE_URL', 'LANGFUSE_HOST'] },
  // PORT and HOST are what hosting platforms set; the Switchboard variable wins when both are.
  { key: 'server.host', flag: 'host', env: ['SWITCHBOARD_HOST', 'HOST'], default: '127.0.0.1' },
  { key: 'server.port', flag: 'port', env: ['SWITCHBOARD_PORT', 'PORT'], default: '8420' },
  { key: 'server.token', flag: 'token', env: ['SWITCHBOARD_TOKEN'], secret: true },
  { key: 'server.allowedHosts', env: ['SWITCHBOARD_ALLOWED_HOSTS'], default: '[]' },
  { key: 'server.allowedOrigins', env: ['SWITCHBOARD_ALLOWED_ORIGINS'], default: '[]' },
  // Voice (`@switchboard/voice-session`): off, the offline stack, or cloud speech vendors.
  { key: 'voice.mode', env: ['SWITCHBOARD_VOICE'], default: 'off' },
  { key: 'voice.phrases', env: ['SWITCHBOARD_VOICE_PHRASES'], default: '[]' },
  // Unset: `offline`, or `openai` when voice.mode is `cloud`.
  { key: 'voice.stt.provider', flag: 'stt', env: ['SWITCHBOARD_VOICE_STT'], default: 'offline' },
  { key: 'voice.stt.model', env: ['SWITCHBOARD_VOICE_STT_MODEL'] },
  { key: 'voice.stt.baseUrl', env: ['SWITCHBOARD_VOICE_STT_BASE_URL'] },
  { key: 'voice.tts.provider', flag: 'tts', env: ['SWITCHBOARD_VOICE_TTS'], default: 'offline' },
  { key: 'voice.tts.model', env: ['SWITCHBOARD_VOICE_TTS_MODEL'] },
  { key: 'voice.tts.voice', env: ['SWITCHBOARD_VOICE_TTS_VOICE'] },
  { key: 'voice.tts.baseUrl', env: ['SWITCHBOARD_VOICE_TTS_BASE_URL'] },
] as const satisfies readonly ConfigKeySpec[];

/** A configuration key (`model`, `server.port`, …). */
export type ConfigKey = (typeof CONFIG_KEYS)[number]['key'];

/** The CLI spelling of a flag property: `baseUrl` → `--base-url`. */
export function flagName(flag: string): string {
  return `--${flag.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
