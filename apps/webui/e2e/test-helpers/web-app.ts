import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startModelServer, type ModelScript, type ModelServer } from '@switchboard/testkit';
import {
  FIXTURE_ENTRY,
  spawnWebApp,
  type WebAppProcess,
} from '../../server/test-helpers/web-app-process.js';

/** The built chat UI (`vite build`): the server serves it as its site. */
export const CLIENT_DIR = fileURLToPath(new URL('../../dist', import.meta.url));
/** Where the e2e tests save their screenshots (a test artefact, git-ignored). */
export const SCREENSHOTS = fileURLToPath(
  new URL('../../test-results/screenshots', import.meta.url),
);

/** The built web app (with the fixture's tools) and the testkit model server, each in its place. */
export interface E2eApp extends AsyncDisposable {
  url: string;
  app: WebAppProcess;
  model: ModelServer | undefined;
  home: string;
  /** Kills the server (SIGKILL) and starts it again on the same port and home. */
  restart(): Promise<void>;
}

/**
 * Starts the model server in this process and the real web app
 * (`dist-server`) as a child process serving the built UI.
 */
export async function startE2eApp(
  options: {
    script?: ModelScript;
    env?: Record<string, string>;
    noModel?: boolean;
    /** Written as the project's `switchboard.config.json` (the server's working directory). */
    configFile?: Record<string, unknown>;
  } = {},
): Promise<E2eApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-e2e-'));
  if (options.configFile)
    writeFileSync(path.join(dir, 'switchboard.config.json'), JSON.stringify(options.configFile));
  const home = path.join(dir, 'home');
  const model = options.noModel
    ? undefined
    : await startModelServer({ script: options.script ?? [] }).catch((error: unknown) => {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      });
  const env = (port: string): Record<string, string> => ({
    SWITCHBOARD_HOME: home,
    PORT: port,
    WEBUI_TEST_CLIENT_DIR: CLIENT_DIR,
    ...(model
      ? { SWITCHBOARD_MODEL: 'openai-compatible:test-model', SWITCHBOARD_BASE_URL: model.baseUrl }
      : {}),
    ...options.env,
  });
  let app = spawnWebApp({ cwd: dir, entry: FIXTURE_ENTRY, env: env('0') });
  // A server that never listens is still a process (and a model server): end both.
  const url = await app.listening().catch(async (error: unknown) => {
    await app.stop('SIGKILL');
    await model?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const port = new URL(url).port;
  const handle: E2eApp = {
    url,
    get app() {
      return app;
    },
    model,
    home,
    async restart() {
      app.child.kill('SIGKILL');
      await app.exited;
      app = spawnWebApp({ cwd: dir, entry: FIXTURE_ENTRY, env: env(port) });
      await app.listening();
    },
    async [Symbol.asyncDispose]() {
      await app.stop('SIGKILL');
      await model?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
