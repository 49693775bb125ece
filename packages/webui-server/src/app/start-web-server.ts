import type { AgentOptions } from '@switchboard/agent-core';
import { formatSource, type SwitchboardConfig } from '@switchboard/agent-core/config';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { z } from 'zod';
import { WebuiServerError } from '../errors/webui-server-error.js';
import { isLoopbackAddress } from '../security/host-names.js';
import { createServer, type WebuiServer } from '../server/create-server.js';
import { webuiPluginSchema, type WebuiPlugin } from '../server/webui-plugin.js';
import { VERSION } from '../version.js';
import { voiceEndpointSchema } from '../voice/voice-endpoint.js';
import { openAgent, type DatabaseStoresFactory, type OpenedAgent } from './open-agent.js';
import { hasClientBuild, siteRoutes } from './site-routes.js';
import { NO_MODEL_ADVICE } from './status-page.js';
import { tracingPlugin, type TracingFactory } from './tracing-factory.js';
import { WEB_LOGGER_OPTIONS } from './web-logger.js';

/** Agent options an app that embeds the web server may add (its tools, its instructions). */
export type WebAppAgentOptions = Pick<
  AgentOptions,
  'name' | 'instructions' | 'tools' | 'toolSources'
>;

/** Where log lines are written: a stream, or anything with `write(text)`. */
export interface LogDestination {
  write(text: string): unknown;
}

const fn = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `expected ${what} (a function)` });

/** How long a server on a shared database keeps an idle session's lease after its last use (ms). */
const DEFAULT_IDLE_RELEASE_MS = 1000;

/** Options of {@link startWebServer}, parsed once. */
export const startWebServerOptionsSchema = z.object({
  /** What `loadConfig` of `@switchboard/agent-core/config` resolved (flags, env, files). */
  config: z.custom<SwitchboardConfig>(
    (value) => typeof value === 'object' && value != null && 'server' in value && 'stores' in value,
    { message: 'expected the result of loadConfig()' },
  ),
  /** The built chat UI (Vite's output): served outside `/api` when it has an `index.html`; else a status page. */
  clientDir: z.string().min(1).optional(),
  /** Where log lines go (JSON, one per line): the server's start and stop, and every request. @default process.stdout */
  destination: z
    .custom<LogDestination>(
      (value) => typeof value === 'object' && value != null && 'write' in value,
      { message: 'expected a stream (an object with write(text))' },
    )
    .optional(),
  /** pino options of every log line. @default WEB_LOGGER_OPTIONS */
  loggerOptions: z.looseObject({ level: z.string().optional() }).default(WEB_LOGGER_OPTIONS),
  /** More agent options (tools, instructions) for an app that embeds the server. */
  agent: z
    .custom<WebAppAgentOptions>((value) => typeof value === 'object' && value != null)
    .optional(),
  /** The agent's `platform` (in its events and traces). @default 'webui' */
  platform: z.string().min(1).default('webui'),
  /**
   * Langfuse tracing, injected (this package never imports it): pass
   * `createLangfuseTracingPlugin` of `@switchboard/tracing-plugin`. Used
   * when the configuration has both Langfuse keys.
   */
  tracing: fn<TracingFactory>('createLangfuseTracingPlugin').optional(),
  /**
   * Opens the shared database's stores when `stores.databaseUrl`
   * (`SWITCHBOARD_DATABASE_URL`) is set, injected (this package never imports
   * a database driver): `openPostgresStores` of `@switchboard/postgres`, best
   * loaded lazily. Without it such a configuration is refused
   * (`WEBUI_NO_DATABASE_SUPPORT`).
   */
  databaseStores: fn<DatabaseStoresFactory>('openPostgresStores').optional(),
  /** More injected plugins. */
  plugins: z.array(webuiPluginSchema).default([]),
  /**
   * The voice endpoint (`GET /api/sessions/:id/voice`), injected: the web app
   * builds it on `@switchboard/voice-session`. Without it, voice is off.
   */
  voice: voiceEndpointSchema.optional(),
});

/** What you pass to {@link startWebServer}. */
export type StartWebServerOptions = z.input<typeof startWebServerOptionsSchema>;

/** A running web server, listening. */
export interface RunningWebServer {
  /** Where it listens (`http://127.0.0.1:8420`); the real port when the port was 0. */
  url: string;
  server: WebuiServer;
  /** Its own log (the same destination and options as the request log). */
  log: FastifyBaseLogger;
  /** Closes gracefully: the server (runs checkpoint, streams end, tracing flushes), then the agent and its stores. */
  close(): Promise<void>;
}

/**
 * The Switchboard web server as the apps run it (`pnpm start`, `switchboard
 * serve`): from a loaded configuration, the agent with SQLite sessions and
 * event log under `SWITCHBOARD_HOME` and uploads under
 * `stores.attachmentsDir`, Langfuse tracing when configured (the injected
 * factory), and the API with the chat UI (or a status page) outside `/api`,
 * listening on `server.host:server.port`.
 *
 * With no model configured it still starts, without an agent, and logs the
 * variables to set. A non-loopback host without `server.token`
 * (`SWITCHBOARD_TOKEN`) is refused before anything is opened
 * (`WEBUI_INSECURE_BIND`, naming where the host came from).
 *
 * ```ts
 * const config = await loadConfig();
 * const web = await startWebServer({ config, tracing: createLangfuseTracingPlugin });
 * closeOnSignals(web, { log: web.log, timeoutMs: 40_000, exit: process.exit });
 * ```
 */
export async function startWebServer(input: StartWebServerOptions): Promise<RunningWebServer> {
  const options = startWebServerOptionsSchema.parse(input);
  const { config } = options;
  const destination = options.destination ?? process.stdout;
  const log: FastifyBaseLogger = pino(options.loggerOptions, destination);
  const { host, port, token } = config.server;
  const hostFrom = formatSource(config.settings['server.host'].source);
  const portFrom = formatSource(config.settings['server.port'].source);
  if (!isLoopbackAddress(host) && token === undefined) {
    throw new WebuiServerError({
      code: 'WEBUI_INSECURE_BIND',
      message: `Refusing to listen on ${host} (from ${hostFrom}) without SWITCHBOARD_TOKEN: anyone who can reach it could run the agent.`,
      hint: 'Set SWITCHBOARD_TOKEN (16+ characters, e.g. openssl rand -hex 32), or listen on 127.0.0.1.',
    });
  }
  for (const warning of config.warnings) log.warn(warning);

  const opened = await openAgent(config, {
    onError: (error) => log.error({ err: error }, error.message),
    platform: options.platform,
    ...(options.agent === undefined ? {} : { agent: options.agent }),
    ...(options.databaseStores === undefined ? {} : { databaseStores: options.databaseStores }),
  });
  const tracing = options.tracing && tracingPlugin(options.tracing, config, log);
  const plugins: WebuiPlugin[] = [...(tracing ? [tracing] : []), ...options.plugins];
  const model = opened ? (config.agent.model ?? null) : null;
  const clientDir = options.clientDir;
  let server: WebuiServer;
  try {
    server = await createServer({
      // Uploads live beside the other stores, so attachments are on whenever chats can run.
      ...(opened ? { agent: opened.agent, attachmentsDir: config.stores.attachmentsDir } : {}),
      ...(token === undefined ? {} : { token }),
      host,
      port,
      allowedHosts: config.server.allowedHosts,
      allowedOrigins: config.server.allowedOrigins,
      ...idleRelease(config),
      logger: { ...options.loggerOptions, stream: destination },
      plugins,
      ...(options.voice === undefined ? {} : { voice: options.voice }),
      routes: siteRoutes({
        ...(clientDir === undefined ? {} : { clientDir }),
        status: { version: VERSION, model, tracing: tracing !== undefined, tokenRequired: !!token },
      }),
    });
  } catch (error) {
    await closeQuietly(opened, log);
    for (const plugin of plugins) await plugin.close?.();
    throw error;
  }
  if (!opened) log.warn(`No model configured: chats cannot run. ${NO_MODEL_ADVICE}`);

  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    await server.close();
    await closeQuietly(opened, log);
    throw error;
  }
  log.info(
    {
      url,
      version: VERSION,
      model,
      home: config.home,
      tracing: tracing !== undefined,
      client: clientDir !== undefined && hasClientBuild(clientDir) ? clientDir : 'status page',
      hostFrom,
      portFrom,
    },
    `Switchboard web app listening on ${url}`,
  );
  return {
    url,
    server,
    log,
    async close() {
      await server.close();
      await opened?.close();
    },
  };
}

async function closeQuietly(
  opened: OpenedAgent | undefined,
  log: FastifyBaseLogger,
): Promise<void> {
  try {
    await opened?.close();
  } catch (error) {
    log.error({ err: error }, 'closing the agent failed');
  }
}

/** Instances sharing a database give idle sessions up (1 s after their last use unless configured). */
function idleRelease(config: StartWebServerOptions['config']): { idleReleaseMs?: number } {
  const { databaseUrl, idleReleaseMs } = config.stores;
  if (idleReleaseMs !== undefined) return { idleReleaseMs };
  return databaseUrl === undefined ? {} : { idleReleaseMs: DEFAULT_IDLE_RELEASE_MS };
}
