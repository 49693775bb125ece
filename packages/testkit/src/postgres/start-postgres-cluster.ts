import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A throwaway PostgreSQL server started by {@link startPostgresCluster}. */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth, loopback only). */
  readonly url: string;
  readonly port: number;
  /** The cluster's directory (data, unix socket, log); removed by `stop`. */
  readonly dir: string;
  /** Stops the server (fast shutdown: open connections are cut) and removes its files. */
  stop(): Promise<void>;
  /** Stops the server and starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** The same as {@link stop}. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@link startPostgresCluster}. */
export interface PostgresClusterOptions {
  /**
   * Flush to disk on commit (`fsync`). Off by default: a test cluster dies
   * with its test, and fsync on a shared CI disk only adds noise.
   * @default false
   */
  durable?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  /** How long to wait for the server to accept connections. @default 30000 */
  startTimeoutMs?: number;
}

/** The unprivileged account a cluster runs as when the tests run as root (initdb refuses root). */
const UNPRIVILEGED = { user: 'nobody', uid: 65534, gid: 65534 };

/**
 * Starts a real PostgreSQL server for a test: `initdb` into a fresh temp
 * directory with the server binaries of Debian's `postgresql` package
 * (`/usr/lib/postgresql/<version>/bin`, or `SWITCHBOARD_PG_BIN`), listening
 * on 127.0.0.1 at a free port with its unix socket inside that directory. As
 * root it runs as `nobody` (the directory is handed to it). The package's own
 * system cluster is neither needed nor touched.
 *
 * ```ts
 * await using cluster = await startPostgresCluster();
 * const pool = new pg.Pool({ connectionString: cluster.url });
 * ```
 */
export async function startPostgresCluster(
  options: PostgresClusterOptions = {},
): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-pg-'));
  const data = path.join(dir, 'data');
  if (asRoot) chownSync(dir, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
  const init = spawnSync(
    ...command(asRoot, path.join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]),
    { encoding: 'utf8' },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr || init.error?.message}`);
  }
  const port = await freePort();
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: dir,
    max_connections: 100,
    ...(options.durable ? {} : { fsync: 'off', full_page_writes: 'off' }),
    ...options.settings,
  };
  const args = ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let server = await startServer(command(asRoot, path.join(bin, 'postgres'), args), timeoutMs);
  let stopped = false;
  const stopServer = async () => {
    const child = server;
    if (child.exitCode != null || child.signalCode != null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT'); // fast shutdown: roll back open transactions, cut clients, checkpoint
    await exited;
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopServer();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop,
    restart: async () => {
      await stopServer();
      server = await startServer(command(asRoot, path.join(bin, 'postgres'), args), timeoutMs);
    },
    [Symbol.asyncDispose]: stop,
  };
}

/** The directory of the PostgreSQL server binaries (the newest installed version). */
export function findPostgresBin(): string {
  const fromEnv = process.env.SWITCHBOARD_PG_BIN;
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql: install Debian\'s "postgresql" package (apt-get install postgresql) or set SWITCHBOARD_PG_BIN.',
    );
  return path.join(root, versions[0]!, 'bin');
}

/** `[file, args]`, dropping to the unprivileged account when running as root (setpriv execs, no fork). */
function command(asRoot: boolean, file: string, args: string[]): [string, string[]] {
  if (!asRoot) return [file, args];
  return [
    'setpriv',
    [
      `--reuid=${UNPRIVILEGED.uid}`,
      `--regid=${UNPRIVILEGED.gid}`,
      '--clear-groups',
      '--reset-env',
      '--',
      file,
      ...args,
    ],
  ];
}

/** Spawns the server and resolves once it says it accepts connections. */
function startServer([file, args]: [string, string[]], timeoutMs: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`PostgreSQL did not start within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-8000);
      if (log.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        // Keep draining the server log so a full pipe never blocks it.
        child.stderr.off('data', onData);
        child.stderr.resume();
        resolve(child);
      }
    };
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited (${code ?? signal}) before it was ready:\n${log}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** A TCP port that is free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
