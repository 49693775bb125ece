import type { ConfigKey } from './config-keys.js';
import type { VoiceConfig } from './voice-config.js';

/** Where a configuration value came from. */
export type ConfigSource =
  /** A flag; `name` as typed on the command line (`--port`). */
  | { kind: 'flag'; name: string }
  /** An environment variable (`SWITCHBOARD_PORT`). */
  | { kind: 'env'; name: string }
  /** A config file, by absolute path. */
  | { kind: 'file'; path: string }
  /** The built-in default. */
  | { kind: 'default' }
  /** Nothing set it and it has no default. */
  | { kind: 'unset' };

/** One key's value and its source, for the `doctor` report. */
export interface ConfigSetting {
  /** The resolved value (paths absolute); `undefined` when unset. Secrets in clear: see `describeConfig`. */
  value: string | number | readonly string[] | undefined;
  source: ConfigSource;
}

/** Credentials and URL of one provider, as `createAgent`'s `providers` takes them. */
export interface ProviderConnection {
  apiKey?: string;
  baseURL?: string;
}

/** The part of `createAgent`'s options the configuration decides; spread it into `createAgent`. */
export interface ConfigAgentOptions {
  /** `provider:model`; `undefined` when nothing sets one (createAgent then throws `CORE_NO_MODEL`). */
  model?: string;
  fallbackModels: string[];
  /** More models sessions may pick, besides `model` (the agent's `models` option). */
  models: string[];
  /** Resolved per provider (flags and environment already applied); only providers with a value. */
  providers: {
    openai?: ProviderConnection;
    anthropic?: ProviderConnection;
    openaiCompatible?: ProviderConnection;
    ollama?: { baseURL?: string };
  };
  /** The environment the configuration was loaded from, so the agent reads the same one. */
  env: Record<string, string>;
}

/** Langfuse credentials, in the shape `createLangfuseTracingPlugin` takes. */
export interface LangfuseSettings {
  publicKey: string;
  secretKey: string;
  /** Langfuse URL; `undefined` lets the tracing plugin use Langfuse Cloud. */
  baseUrl?: string;
}

/** Everything `loadConfig` resolved. */
export interface SwitchboardConfig {
  /** Spread into `createAgent({ ...config.agent, tools, … })`. */
  agent: ConfigAgentOptions;
  /** `SWITCHBOARD_HOME`, absolute. Not created: callers create what they write. */
  home: string;
  /** Absolute store locations (nothing is created). */
  stores: {
    /** SQLite file of `SqliteSessionStore`. */
    sessionsDb: string;
    /** SQLite file of the events' `SqliteEventLog`. */
    eventsDb: string;
    /** Directory for JSONL event logs (`JsonlSink.open(path.join(jsonlDir, 'events.jsonl'))`). */
    jsonlDir: string;
    /** Directory of uploaded attachments (content-addressed files; the web server's uploads). */
    attachmentsDir: string;
    /**
     * PostgreSQL URL (`SWITCHBOARD_DATABASE_URL`): when set, the server and
     * the CLI keep sessions and events there (`@switchboard/postgres`)
     * instead of `sessionsDb` and `eventsDb`. A secret: it may hold a password.
     */
    databaseUrl?: string;
    /**
     * Lease time of a session (`SWITCHBOARD_LEASE_MS`; unset: the stores'
     * default, 30 000): the holder renews it every third of it; a crashed
     * holder's sessions are taken over by another process once it runs out.
     */
    leaseMs?: number;
    /**
     * How long a server keeps the lease of a session with no active run after
     * its last use (`SWITCHBOARD_IDLE_RELEASE_MS`); then any instance may run
     * it. Unset: 1000 with `databaseUrl`, never on SQLite (one instance).
     */
    idleReleaseMs?: number;
  };
  tracing: {
    /** Present only when both Langfuse keys are set. */
    langfuse?: LangfuseSettings;
  };
  /** The web server. */
  server: {
    host: string;
    port: number;
    /** Bearer token clients must present; `undefined` means none is required. */
    token?: string;
    /** Host names accepted in `Host` besides the loopback names (a reverse proxy's public name). */
    allowedHosts: string[];
    /** Browser origins allowed to call the API cross-origin (CORS); empty: same origin only. */
    allowedOrigins: string[];
  };
  /**
   * Voice sessions (`switchboard voice`, the web app's voice mode): the mode,
   * the recogniser's phrases and each engine (offline, or a cloud vendor with
   * its model, URL and key). `@switchboard/voice-session` builds the engines.
   */
  voice: VoiceConfig;
  /** Every key's value and source, in `CONFIG_KEYS` order. */
  settings: Record<ConfigKey, ConfigSetting>;
  /** The config files read, highest precedence first (absolute paths). */
  files: string[];
  /** Things that work but are probably not what was meant (a secret in a project file, half a Langfuse key pair). */
  warnings: string[];
}
