import { describe, expect, it } from 'vitest';
import { useTestCluster } from '../test-helpers/test-cluster.js';
import { SCHEMA_VERSION } from './migrations.js';
import { PostgresDatabase } from './postgres-database.js';
import { readSchemaStatus } from './schema-status.js';

const { freshDatabase } = useTestCluster();

describe('readSchemaStatus', () => {
  it('reads an empty database as all migrations pending and creates nothing; current after ready()', async () => {
    const connectionString = await freshDatabase();
    expect(await readSchemaStatus({ connectionString })).toEqual({
      version: 0,
      latest: SCHEMA_VERSION,
      pending: SCHEMA_VERSION,
    });
    // Still nothing there: reading twice gives the same answer.
    expect((await readSchemaStatus({ connectionString })).version).toBe(0);
    await using database = new PostgresDatabase({ connectionString });
    await database.ready();
    expect(await readSchemaStatus({ connectionString })).toEqual({
      version: SCHEMA_VERSION,
      latest: SCHEMA_VERSION,
      pending: 0,
    });
  });

  it('fails with PG_CONNECTION_LOST for a server that is not there, without the password', async () => {
    const error = await readSchemaStatus({
      connectionString: 'postgres://someone:hunter2-secret@127.0.0.1:1/none',
      connectTimeoutMs: 2_000,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PG_CONNECTION_LOST' });
    expect(String((error as Error).message)).not.toContain('hunter2-secret');
  });
});
