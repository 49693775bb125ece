// Instance B of the cross-instance latency case, in its own process: on each
// message `{ sessionId, count, intervalMs }` it appends `count` events through
// its own bus and Postgres log, one every `intervalMs`, each carrying the wall
// time of its emit, then answers `{ done: true }`.
import { EventBus } from '@switchboard/events';
import { PostgresEventLog } from '../src/index.js';
import { wallNow } from './drafts.js';

const log = new PostgresEventLog({ connection: { connectionString: process.argv[2]! } });
const bus = new EventBus({ log });
await log.database.ready();
process.on(
  'message',
  (message: { sessionId?: string; count: number; intervalMs: number; stop?: boolean }) => {
    void (async () => {
      if (message.stop) {
        await log.close();
        process.exit(0);
      }
      const sessionId = message.sessionId!;
      bus.restoreSession(sessionId, await log.head(sessionId));
      for (let i = 0; i < message.count; i++) {
        bus.emit({
          type: 'notice',
          sessionId,
          runId: 'r',
          data: { severity: 'info', message: String(wallNow()) },
        });
        await new Promise((resolve) => setTimeout(resolve, message.intervalMs));
      }
      await bus.flush();
      process.send!({ done: true });
    })();
  },
);
process.send!({ ready: true });
