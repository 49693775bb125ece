import { fileURLToPath } from 'node:url';
import type { AgentOptions } from '@switchboard/agent-core';
import {
  createServer,
  isLoopbackAddress,
  VERSION,
  WebuiServerError,
  type WebuiPlugin,
  type WebuiServer,
} from '@switchboard/webui-server';
import type { Logger } from 'pino';
import { z } from 'zod';
import { openAgent, type OpenedAgent } from './open-agent.js';
import { hasClientBuild, siteRoutes } from './site-routes.js';
import { NO_MODEL_ADVICE } from './status-page.js';
import { langfuseWebuiPlugin } from './tracing-plugin.js';
import { loadWebAppConfig } from './web-app-config.js';

/** Agent options an app that embeds the web app may add (its tools, its instructions). */
export type WebAppAgentOptions = Pick<
  AgentOptions,
  'name' | 'instructions' | 'tools' | 'toolSources'
>;

/** Options of {@link startWebApp}, parsed once. */
export const startWebAppOptionsSchema = z.object({
  /** The environment the configuration is read from. @default process.env */
  env: z.record(z.string(), z.string().optional()).default(() => ({ ...process.env })),
  /** Where the project's switchboard.config.json is searched from. @default process.cwd() */
  cwd: z.string().min(1).optional(),
  /** The user's home directory (`~`, default `SWITCHBOARD_HOME`). @default os.homedir() */
  homeDir: z.string().min(1).optional(),
  /** The built chat UI (Vite's output). @default apps/webui/dist */
  clientDir: z
    .string()
    .min(1)
    .default(() => fileURLToPath(new URL('../dist', import.meta.url))),
  /** Where the app's own lines go (startup, shutdown); requests log through the server's pino. */
  log: z.custom<Logger>(
    (value) => typeof value === 'object' && value != null && 'info' in value && 'child' in value,
    { message: 'expected a pino logger' },
  ),
  /** pino options of the server's request logger (`{ level, redact, … }`). */
  loggerOptions: z.looseObject({ level: z.string().optional() }),
  /** More agent options (tools, instructions) for an app that embeds this one. */
  agent: z
    .custom<WebAppAgentOptions>((value) => typeof value === 'object' && value != null)
    .optional(),
});

/** What you pass to {@link startWebApp}. */
export type StartWebAppOptions = z.input<typeof startWebAppOptionsSchema>;

/** A running web app. */
export interface WebApp {
  /** Where it listens (`http://127.0.0.1:8420`); the real port when `PORT=0`. */
  url: string;
  server: WebuiServer;
  /** Closes gracefully: the server (runs checkpoint, streams end, tracing flushes), then the agent and its stores. */
  close(): Promise<void>;
}

/**
 * Starts the Switchboard web app: the configuration (`loadConfig` plus
 * `PORT`/`HOST`), the agent with SQLite sessions and event log under
 * `SWITCHBOARD_HOME`, Langfuse tracing when `LANGFUSE_*` is set, and the
 * webui server with the chat UI (or a status page) outside `/api`.
 *
 * With no model configured it still starts, without an agent, and logs the
 * variables to set. A non-loopback host without `SWITCHBOARD_TOKEN` is
 * refused before anything is opened (`WEBUI_INSECURE_BIND`).
 */
export async function startWebApp(input: StartWebAppOptions): Promise<WebApp> {
  const options = startWebAppOptionsSchema.parse(input);
  const { log } = options;
  const settings = await loadWebAppConfig({
    env: options.env,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.homeDir === undefined ? {} : { homeDir: options.homeDir }),
  });
  const { config, host, port } = settings;
  const token = config.server.token;
  if (!isLoopbackAddress(host) && token === undefined) {
    throw new WebuiServerError({
      code: 'WEBUI_INSECURE_BIND',
      message: `Refusing to listen on ${host} (from ${settings.hostFrom}) without SWITCHBOARD_TOKEN: anyone who can reach it could run the agent.`,
      hint: 'Set SWITCHBOARD_TOKEN (16+ characters, e.g. openssl rand -hex 32), or listen on 127.0.0.1.',
    });
  }
  for (const warning of config.warnings) log.warn(warning);

  const opened = await openAgent(config, {
    onError: (error) => log.error({ err: error }, error.message),
    ...(options.agent === undefined ? {} : { agent: options.agent }),
  });
  const plugins: WebuiPlugin[] = [];
  const tracing = langfuseWebuiPlugin(config, { env: config.agent.env, log });
  if (tracing) plugins.push(tracing);
  const model = opened ? (config.agent.model ?? null) : null;
  let server: WebuiServer;
  try {
    server = await createServer({
      // Uploads live beside the other stores (stores.attachmentsDir), so attachments are on
      // whenever chats can run.
      ...(opened ? { agent: opened.agent, attachmentsDir: config.stores.attachmentsDir } : {}),
      ...(token === undefined ? {} : { token }),
      host,
      port,
      allowedHosts: config.server.allowedHosts,
      allowedOrigins: config.server.allowedOrigins,
      logger: options.loggerOptions,
      plugins,
      routes: siteRoutes({
        clientDir: options.clientDir,
        status: { version: VERSION, model, tracing: tracing !== undefined, tokenRequired: !!token },
      }),
    });
  } catch (error) {
    await closeQuietly(opened, log);
    await tracing?.close?.();
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
      client: hasClientBuild(options.clientDir) ? options.clientDir : 'status page',
      hostFrom: settings.hostFrom,
      portFrom: settings.portFrom,
    },
    `Switchboard web app listening on ${url}`,
  );
  return {
    url,
    server,
    async close() {
      await server.close();
      await opened?.close();
    },
  };
}

async function closeQuietly(opened: OpenedAgent | undefined, log: Logger): Promise<void> {
  try {
    await opened?.close();
  } catch (error) {
    log.error({ err: error }, 'closing the agent failed');
  }
}
