import path from 'node:path';
import { spawnWebApp, type WebAppProcess } from './web-app-process.js';

/** Two web app processes on one PostgreSQL database, and their URLs. */
export interface TwoInstances {
  a: WebAppProcess;
  b: WebAppProcess;
  urlA: string;
  urlB: string;
  /** Stops both (SIGKILL when still running; a stopped one is left as it is). */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts two built web apps (real processes, `dir/a` and `dir/b` their
 * homes) on `databaseUrl`, both talking to the model server at
 * `modelBaseUrl`: what a load balancer in front of several instances sees.
 * Resolves once both listen; stops both when either fails to start.
 */
export async function startTwoInstances(options: {
  /** The test's scratch directory: the working directory and the homes' parent. */
  dir: string;
  databaseUrl: string;
  modelBaseUrl: string;
  /** The entry both run (the built `main.js` by default). */
  entry?: string;
  /** Extra variables for both. */
  env?: Record<string, string>;
  /** A command instance A is started through (see `spawnWebApp`), e.g. another host name. */
  wrapperA?: readonly string[];
}): Promise<TwoInstances> {
  const spawn = (name: 'a' | 'b', wrapper?: readonly string[]) =>
    spawnWebApp({
      cwd: options.dir,
      ...(options.entry === undefined ? {} : { entry: options.entry }),
      ...(wrapper === undefined ? {} : { wrapper }),
      env: {
        SWITCHBOARD_HOME: path.join(options.dir, name),
        PORT: '0',
        SWITCHBOARD_MODEL: 'openai-compatible:test-model',
        SWITCHBOARD_BASE_URL: options.modelBaseUrl,
        SWITCHBOARD_DATABASE_URL: options.databaseUrl,
        ...options.env,
      },
    });
  const a = spawn('a', options.wrapperA);
  const b = spawn('b');
  const stop = async () => {
    await Promise.all([a[Symbol.asyncDispose](), b[Symbol.asyncDispose]()]);
  };
  try {
    const [urlA, urlB] = await Promise.all([a.listening(), b.listening()]);
    return { a, b, urlA, urlB, [Symbol.asyncDispose]: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
