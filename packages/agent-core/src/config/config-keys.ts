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
] as const satisfies readonly ConfigKeySpec[];

/** A configuration key (`model`, `server.port`, …). */
export type ConfigKey = (typeof CONFIG_KEYS)[number]['key'];

/** The CLI spelling of a flag property: `baseUrl` → `--base-url`. */
export function flagName(flag: string): string {
  return `--${flag.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
