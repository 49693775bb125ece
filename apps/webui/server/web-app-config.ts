import { formatSource, loadConfig, type SwitchboardConfig } from '@switchboard/agent-core/config';

/** The shared configuration plus where the web app listens and why. */
export interface WebAppConfig {
  /** What `loadConfig` resolved (model, providers, home, stores, tracing, token). */
  config: SwitchboardConfig;
  host: string;
  port: number;
  /** Where `host` and `port` came from, for log lines and errors (`env HOST`, `file <path>`, `default`). */
  hostFrom: string;
  portFrom: string;
}

/** Inputs of {@link loadWebAppConfig}; they default like `loadConfig`'s. */
export interface LoadWebAppConfigInput {
  env: Record<string, string | undefined>;
  cwd?: string;
  homeDir?: string;
}

/**
 * Loads the shared configuration (`loadConfig`: flags > env >
 * switchboard.config.json > default) for the web app. The loader owns every
 * rule, the platform variables included: per value the first set of
 * `SWITCHBOARD_PORT` / `SWITCHBOARD_HOST`, `PORT` / `HOST`, `server.port` /
 * `server.host` in a config file, then 8420 / 127.0.0.1.
 *
 * Throws `CORE_CONFIG_INVALID` naming the variable for a bad value.
 */
export async function loadWebAppConfig(input: LoadWebAppConfigInput): Promise<WebAppConfig> {
  const config = await loadConfig({
    env: input.env,
    ...(input.cwd === undefined ? {} : { cwd: input.cwd }),
    ...(input.homeDir === undefined ? {} : { homeDir: input.homeDir }),
  });
  return {
    config,
    host: config.server.host,
    port: config.server.port,
    hostFrom: formatSource(config.settings['server.host'].source),
    portFrom: formatSource(config.settings['server.port'].source),
  };
}
