import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestCluster } from '../test-helpers/test-cluster.js';
import { PostgresDatabase } from './postgres-database.js';

const { freshDatabase } = useTestCluster();

/** ReadyForQuery ('Z', length 5, transaction status 'I'): the connection is ready. */
const READY = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);

/** The ErrorResponse a server shutting down sends on every connection (57P01). */
function fatalShutdown(): Buffer {
  const fields = Buffer.concat([
    Buffer.from('SFATAL\0C57P01\0Mterminating connection due to administrator command\0', 'utf8'),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

/**
 * A loopback TCP proxy in front of PostgreSQL that ends its first
 * `kills` connections the way a restarting server can: the FATAL arrives in
 * the same packet as the ReadyForQuery that made the connection usable.
 */
async function startKillingProxy(target: URL, kills: number) {
  let killed = 0;
  const server = net.createServer((socket) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    const kill = killed++ < kills;
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      if (!kill) return void socket.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      const at = pending.indexOf(READY);
      if (at < 0) return;
      socket.end(Buffer.concat([pending.subarray(0, at + READY.length), fatalShutdown()]));
      upstream.destroy();
    });
    socket.on('data', (chunk: Buffer) => upstream.write(chunk));
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    get killed() {
      return Math.min(killed, kills);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a connection the server ends as soon as it is ready', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('is reported and retried, never an uncaught error (migration and transactions check out connections)', async () => {
    const url = new URL(await freshDatabase());
    const proxy = await startKillingProxy(url, 2);
    cleanups.push(proxy.close);
    const viaProxy = new URL(url);
    viaProxy.port = String(proxy.port);
    const reports: string[] = [];
    const database = new PostgresDatabase({
      connectionString: viaProxy.toString(),
      retry: { initialDelayMs: 10, maxDelayMs: 100, maxElapsedMs: 30_000 },
      onError: (error) => reports.push((error as { code?: string }).code ?? ''),
    });
    cleanups.push(() => database.close());

    await database.ready(); // its first connection is ended at once: retried
    const sum = await database.transaction('add', async (client) => {
      const result = await client.query<{ sum: number }>('SELECT 1 + 1 AS sum');
      return result.rows[0]!.sum;
    });
    expect(sum).toBe(2);
    expect(proxy.killed).toBe(2);
    expect(reports).toContain('PG_CONNECTION_LOST');
  });
});
