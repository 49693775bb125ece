import { AgentCoreError } from '@switchboard/agent-core';
import {
  formatSource,
  loadConfig,
  type LoadConfigInput,
  type SwitchboardConfig,
} from '@switchboard/agent-core/config';

/** Where the web app listens when nothing says otherwise (the config loader's 7380 is the CLI's). */
export const WEB_APP_DEFAULT_PORT = 8420;

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
 * switchboard.config.json > default) for the web app, which also honours
 * the platform variables `PORT` and `HOST`. Per value, the first set of:
 * `SWITCHBOARD_PORT` / `SWITCHBOARD_HOST`, then `PORT` / `HOST`, then
 * `server.port` / `server.host` in a config file, then 8420 / 127.0.0.1.
 * The Switchboard variable wins because it is the specific one (a stray
 * `HOST` exported by a shell can be overridden without unsetting it).
 *
 * Throws `CORE_CONFIG_INVALID` naming the variable for a bad value.
 */
export async function loadWebAppConfig(input: LoadWebAppConfigInput): Promise<WebAppConfig> {
  const env = definedValues(input.env);
  const port = env.SWITCHBOARD_PORT === undefined ? env.PORT : undefined;
  const host = env.SWITCHBOARD_HOST === undefined ? env.HOST : undefined;
  if (port !== undefined) checkPort(port);
  const options: LoadConfigInput = {
    // The platform variables sit just below the Switchboard ones: fill those in when unset.
    env: {
      ...env,
      ...(port === undefined ? {} : { SWITCHBOARD_PORT: port }),
      ...(host === undefined ? {} : { SWITCHBOARD_HOST: host }),
    },
    ...(input.cwd === undefined ? {} : { cwd: input.cwd }),
    ...(input.homeDir === undefined ? {} : { homeDir: input.homeDir }),
  };
  const config = await loadConfig(options);
  const portSetting = config.settings['server.port'];
  const hostSetting = config.settings['server.host'];
  const byDefault = portSetting.source.kind === 'default';
  return {
    config,
    host: config.server.host,
    port: byDefault ? WEB_APP_DEFAULT_PORT : config.server.port,
    hostFrom: host === undefined ? formatSource(hostSetting.source) : 'env HOST',
    portFrom: port === undefined ? formatSource(portSetting.source) : 'env PORT',
  };
}

/** The environment without empty or unset values (they count as unset, as in `loadConfig`). */
function definedValues(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value) result[name] = value;
  return result;
}

/** `PORT` is checked here so a bad value is reported under its own name. */
function checkPort(text: string): void {
  if (/^\d{1,5}$/.test(text) && Number(text) <= 65_535) return;
  throw new AgentCoreError({
    code: 'CORE_CONFIG_INVALID',
    message: `PORT: must be a port number from 0 to 65535 (got ${JSON.stringify(text)}).`,
    hint: 'Set PORT (or SWITCHBOARD_PORT) to a free port, or 0 for any free port.',
  });
}
