import { describeSessionStoreConformance } from '@switchboard/agent-core/conformance';
import { useTestCluster } from '../test-helpers/test-cluster.js';
import { PostgresSessionStore } from './postgres-session-store.js';

const { freshDatabase } = useTestCluster();

await describeSessionStoreConformance('PostgresSessionStore', {
  create: async (options) =>
    new PostgresSessionStore({
      connection: { connectionString: await freshDatabase() },
      ...options,
    }),
});
