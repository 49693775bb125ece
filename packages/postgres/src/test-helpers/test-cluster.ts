import { startPostgresCluster, type PostgresCluster } from '@switchboard/testkit';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/**
 * One real PostgreSQL cluster per test file (started before its tests,
 * stopped after), and a fresh, empty database per call of `freshDatabase`.
 */
export function useTestCluster(): {
  cluster: () => PostgresCluster;
  freshDatabase: () => Promise<string>;
} {
  let cluster: PostgresCluster | undefined;
  let count = 0;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return {
    cluster: () => cluster!,
    freshDatabase: async () => {
      const name = `sb_test_${++count}`;
      const admin = new pg.Client({ connectionString: cluster!.url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return cluster!.url.replace(/\/postgres$/, `/${name}`);
    },
  };
}
