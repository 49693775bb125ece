import { fileURLToPath } from 'node:url';
import { createLangfuseTracingPlugin } from '@switchboard/tracing-plugin';
import {
  startWebServer,
  type DatabaseStores,
  type DatabaseStoresFactory,
  type RunningWebServer,
  type WebAppAgentOptions,
} from '@switchboard/webui-server';
import { z } from 'zod';
import { loadWebAppConfig } from './web-app-config.js';

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
  /** More agent options (tools, instructions) for an app that embeds this one. */
  agent: z
    .custom<WebAppAgentOptions>((value) => typeof value === 'object' && value != null)
    .optional(),
});

/** What you pass to {@link startWebApp}. */
export type StartWebAppOptions = z.input<typeof startWebAppOptionsSchema>;

/**
 * Starts the Switchboard web app: the shared configuration (`loadConfig`,
 * `PORT`/`HOST` included) into `startWebServer` of
 * `@switchboard/webui-server` (the composition `switchboard serve` uses
 * too), with Langfuse tracing injected, the voice endpoint of
 * `@switchboard/voice-session` when the configuration's `voice.mode` is on
 * (`createWebVoiceEndpoint`, closed with the server) and this app's built
 * chat UI.
 */
export async function startWebApp(input: StartWebAppOptions = {}): Promise<RunningWebServer> {
  const options = startWebAppOptionsSchema.parse(input);
  const { config } = await loadWebAppConfig({
    env: options.env,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.homeDir === undefined ? {} : { homeDir: options.homeDir }),
  });
  // voice-session (onnxruntime) is loaded only when voice is on.
  const voice =
    config.voice.mode === 'off'
      ? undefined
      : await (await import('@switchboard/voice-session')).createWebVoiceEndpoint(config.voice);
  return startWebServer({
    config,
    ...(voice === undefined ? {} : { voice }),
    clientDir: options.clientDir,
    tracing: createLangfuseTracingPlugin,
    databaseStores: openDatabaseStores,
    ...(options.agent === undefined ? {} : { agent: options.agent }),
  });
}

/**
 * PostgreSQL's stores for `SWITCHBOARD_DATABASE_URL`, loaded only when
 * configured: a SQLite deployment never loads the database client.
 */
async function openDatabaseStores(
  options: Parameters<DatabaseStoresFactory>[0],
): Promise<DatabaseStores> {
  const { openPostgresStores } = await import('@switchboard/postgres');
  return openPostgresStores(options);
}
