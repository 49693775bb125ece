import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEventLogConformance } from '../conformance/event-log-conformance.js';
import { SqliteEventLog } from './sqlite-event-log.js';

await describeEventLogConformance('SqliteEventLog', {
  sharedStorage: true,
  create: () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-conformance-'));
    const file = path.join(dir, 'events.db');
    return {
      log: new SqliteEventLog({ path: file }),
      reopen: () => new SqliteEventLog({ path: file }),
      cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  },
});
