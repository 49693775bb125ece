import { EventBus, type AnyEvent } from '@switchboard/events';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresEventLog } from '../event-log/postgres-event-log.js';
import { useTestCluster } from '../test-helpers/test-cluster.js';
import { SCHEMA_VERSION } from './migrations.js';
import { PostgresDatabase } from './postgres-database.js';

const { cluster, freshDatabase } = useTestCluster();

async function sql<Row extends pg.QueryResultRow>(url: string, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgresDatabase', () => {
  it('migrates once when several instances start at once, and again changes nothing', async () => {
    const connectionString = await freshDatabase();
    const instances = Array.from({ length: 4 }, () => new PostgresDatabase({ connectionString }));
    await Promise.all(instances.map((database) => database.ready()));
    await Promise.all(instances.map((database) => database.close()));
    const versions = await sql<{ version: number }>(
      connectionString,
      'SELECT version FROM switchboard_migrations ORDER BY version',
    );
    expect(versions.map((row) => row.version)).toEqual([SCHEMA_VERSION]);
    await using again = new PostgresDatabase({ connectionString });
    await again.ready();
    expect(await sql(connectionString, 'SELECT version FROM switchboard_migrations')).toHaveLength(
      1,
    );
  });

  it('refuses a database migrated by a newer build with PG_MIGRATION_FAILED, touching nothing', async () => {
    const connectionString = await freshDatabase();
    await sql(
      connectionString,
      `CREATE TABLE switchboard_migrations (version integer PRIMARY KEY, description text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now());
       INSERT INTO switchboard_migrations VALUES (${SCHEMA_VERSION + 1}, 'from the future')`,
    );
    await using database = new PostgresDatabase({ connectionString });
    await expect(database.ready()).rejects.toMatchObject({
      code: 'PG_MIGRATION_FAILED',
      message: expect.stringContaining('newer than this build') as string,
    });
    expect(
      await sql(connectionString, "SELECT 1 FROM pg_tables WHERE tablename = 'switchboard_events'"),
    ).toEqual([]);
  });

  it('validates its options with PG_INVALID_OPTIONS', () => {
    expect(() => new PostgresDatabase({ connectionString: 'mysql://x' })).toThrow(
      expect.objectContaining({ code: 'PG_INVALID_OPTIONS' }),
    );
    expect(() => new PostgresEventLog({})).toThrow(
      expect.objectContaining({ code: 'PG_INVALID_OPTIONS' }),
    );
  });

  it('an unreachable server fails as retryable PG_CONNECTION_LOST after the retries, reported each time', async () => {
    const reports: { code?: string }[] = [];
    await using database = new PostgresDatabase({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      retry: { initialDelayMs: 10, maxDelayMs: 20, maxElapsedMs: 200 },
      onError: (error) => reports.push(error as { code?: string }),
    });
    await expect(database.query('probe', ['SELECT 1'])).rejects.toMatchObject({
      code: 'PG_CONNECTION_LOST',
      retryable: true,
    });
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.every((report) => report.code === 'PG_CONNECTION_LOST')).toBe(true);
  });

  it('a connection the server ends between two statements of a transaction is retried, never an uncaught error', async () => {
    const connectionString = await freshDatabase();
    const reports: string[] = [];
    await using database = new PostgresDatabase({
      connectionString,
      retry: { initialDelayMs: 10, maxDelayMs: 100, maxElapsedMs: 20_000 },
      onError: (error: Error) => reports.push((error as { code?: string }).code ?? ''),
    });
    let attempts = 0;
    const one = await database.transaction('test', async (client) => {
      attempts++;
      if (attempts === 1) {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await sql(connectionString, `SELECT pg_terminate_backend(${rows[0]?.pid ?? 0})`);
        // The server's FATAL message arrives while no statement is running: the driver emits
        // `error` on the checked-out connection (before the fix: an uncaught exception).
        await expect.poll(() => reports.length, { timeout: 10_000 }).toBeGreaterThan(0);
      }
      return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one;
    });
    expect(one).toBe(1);
    expect(attempts).toBe(2);
    expect(reports[0]).toBe('PG_CONNECTION_LOST');
  });

  it('survives a database restart mid-stream: nothing acknowledged is lost, subscribers continue', async () => {
    const connectionString = await freshDatabase();
    const reports: string[] = [];
    const connection = {
      connectionString,
      retry: { initialDelayMs: 20, maxDelayMs: 500, maxElapsedMs: 30_000 },
      onError: (error: Error) => reports.push((error as { code?: string }).code ?? ''),
    };
    const writer = new PostgresEventLog({ connection });
    const reader = new PostgresEventLog({ connection, catchUpIntervalMs: 200 });
    const busErrors: string[] = [];
    const bus = new EventBus({ log: writer, onError: (error) => busErrors.push(error.code) });
    bus.restoreSession('s', await writer.head('s'));
    const controller = new AbortController();
    const seen: number[] = [];
    const subscription = (async () => {
      for await (const event of reader.subscribe('s', { signal: controller.signal }))
        seen.push(event.seq);
    })();
    const emitted: AnyEvent[] = [];
    const emit = async (count: number) => {
      for (let i = 0; i < count; i++)
        emitted.push(
          bus.emit({
            type: 'notice',
            sessionId: 's',
            runId: 'r',
            data: { severity: 'info', message: `${i}` },
          }),
        );
      await bus.flush();
    };
    await emit(200);
    const restarting = cluster().restart();
    await emit(200); // while the server goes down and comes back: retried, not lost
    await restarting;
    await emit(200);
    expect(busErrors).toEqual([]);
    const stored = await writer.read('s', 0, 10_000);
    expect(stored.map((event) => event.seq)).toEqual(emitted.map((event) => event.seq));
    await expect.poll(() => seen.length, { timeout: 20_000 }).toBe(600);
    expect(seen).toEqual(emitted.map((event) => event.seq));
    expect(reports).toContain('PG_CONNECTION_LOST');
    controller.abort();
    await subscription;
    await writer.close();
    await reader.close();
  });
});
