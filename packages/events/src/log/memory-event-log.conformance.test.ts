import { describeEventLogConformance } from '../node/conformance/event-log-conformance.js';
import { MemoryEventLog } from './memory-event-log.js';

await describeEventLogConformance('MemoryEventLog', {
  create: () => ({ log: new MemoryEventLog() }),
});
