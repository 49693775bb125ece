import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadCliConfig } from '../../config/load-cli-config.js';
import type { CommandContext } from '../../program/command-context.js';
import { importOptional } from '../../runtime/import-optional.js';

interface ServeFlags {
  port?: string;
  host?: string;
  model?: string;
  baseUrl?: string;
  clientDir?: string;
}

/** A close may take the server's shutdown grace twice plus flushing; past this it exits 1. */
const SHUTDOWN_TIMEOUT_MS = 40_000;

/**
 * `switchboard serve`: `startWebServer` of `@switchboard/webui-server`, the
 * composition the web app's `pnpm start` uses (the agent, SQLite stores,
 * attachments, tracing injected, the voice endpoint of
 * `@switchboard/voice-session` when `voice.mode` is on, the chat UI or a
 * status page), configured by the shared loader with `--port`/`--host` as
 * flags. Prints the URL on stdout, logs JSON lines on stderr, and returns
 * once a signal has closed it: 0 when the close was clean, 1 otherwise. A
 * non-loopback host without `SWITCHBOARD_TOKEN` is refused
 * (`WEBUI_INSECURE_BIND`, exit 2).
 */
export async function serveAction(context: CommandContext, command: Command): Promise<number> {
  const flags = command.opts<ServeFlags>();
  const config = await loadCliConfig(context, flags);
  const [{ startWebServer, closeOnSignals, WEB_LOGGER_OPTIONS }, { createLangfuseTracingPlugin }] =
    await Promise.all([import('@switchboard/webui-server'), import('@switchboard/tracing-plugin')]);
  const { output, io } = context;
  // voice-session (onnxruntime, an optional peer) is loaded only when voice is on; a cloud
  // engine without its key fails here, before anything listens.
  const voice =
    config.voice.mode === 'off'
      ? undefined
      : await (
          await importOptional(
            '@switchboard/voice-session',
            () => import('@switchboard/voice-session'),
            'serve',
          )
        ).createWebVoiceEndpoint(config.voice);
  const clientDir = flags.clientDir ?? repositoryClientDir();
  const web = await startWebServer({
    config,
    // Closed with the server (its warm espeak-ng process).
    ...(voice === undefined ? {} : { voice }),
    ...(clientDir === undefined ? {} : { clientDir: path.resolve(io.cwd, clientDir) }),
    destination: { write: (text: string) => io.stderr.write(text) },
    loggerOptions: {
      ...WEB_LOGGER_OPTIONS,
      level: { quiet: 'warn', normal: 'info', verbose: 'debug' }[output.verbosity],
    },
    platform: 'cli',
    tracing: createLangfuseTracingPlugin,
    // Loaded only when SWITCHBOARD_DATABASE_URL is set.
    databaseStores: async (options) =>
      (await import('@switchboard/postgres')).openPostgresStores(options),
  });
  output.line(`Serving Switchboard on ${web.url} (Ctrl-C stops it)`);
  return new Promise<number>((resolve) =>
    closeOnSignals(web, { log: web.log, timeoutMs: SHUTDOWN_TIMEOUT_MS, exit: resolve }),
  );
}

/** The web app's build in this repository (`apps/webui/dist`), when there is one. */
function repositoryClientDir(): string | undefined {
  // dist/commands/serve/ → apps/cli/ → apps/webui/dist
  const dir = fileURLToPath(new URL('../../../../webui/dist', import.meta.url));
  return existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}
