import { describeEventLogConformance } from '@switchboard/events/conformance';
import { useTestCluster } from '../test-helpers/test-cluster.js';
import { PostgresEventLog } from './postgres-event-log.js';

const { freshDatabase } = useTestCluster();

await describeEventLogConformance('PostgresEventLog', {
  sharedStorage: true,
  liveAcrossHandles: true,
  create: async () => {
    const connectionString = await freshDatabase();
    const open = () =>
      new PostgresEventLog({ connection: { connectionString }, catchUpIntervalMs: 200 });
    return { log: open(), reopen: open };
  },
});
