import pg from 'pg';
import { toPostgresError } from '../errors/postgres-error.js';
import { SCHEMA_VERSION } from './migrations.js';

/** Where a database's schema stands against this build. */
export interface SchemaStatus {
  /** The version the database is at (0: no Switchboard schema yet). */
  readonly version: number;
  /** The version this build migrates to ({@link SCHEMA_VERSION}). */
  readonly latest: number;
  /** Steps `ready()` would apply (0 when current; never negative). */
  readonly pending: number;
}

/**
 * Connects once and reads the schema version, changing nothing: no
 * migration, no lock, no table created (for `switchboard doctor`, which must
 * not alter a database it only inspects). Fails with `PG_CONNECTION_LOST`
 * when the server cannot be reached in `connectTimeoutMs`, `PG_QUERY_FAILED`
 * otherwise (bad credentials, no such database); messages never carry the
 * connection string.
 */
export async function readSchemaStatus(options: {
  connectionString: string;
  connectTimeoutMs?: number;
}): Promise<SchemaStatus> {
  const client = new pg.Client({
    connectionString: options.connectionString,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    application_name: 'switchboard-doctor',
  });
  // A server that drops the connection later must not crash the caller.
  client.on('error', () => {});
  try {
    await client.connect();
    const table = await client.query<{ name: string | null }>(
      "SELECT to_regclass('switchboard_migrations')::text AS name",
    );
    let version = 0;
    if (table.rows[0]?.name) {
      const { rows } = await client.query<{ version: number | null }>(
        'SELECT max(version) AS version FROM switchboard_migrations',
      );
      version = rows[0]?.version ?? 0;
    }
    return { version, latest: SCHEMA_VERSION, pending: Math.max(0, SCHEMA_VERSION - version) };
  } catch (error) {
    throw toPostgresError(error, 'read the schema version');
  } finally {
    await client.end().catch(() => {});
  }
}
