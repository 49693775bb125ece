import { EventBus } from '@switchboard/events';
import { JsonlSink, SqliteEventLog } from '@switchboard/events/node';

const log = new SqliteEventLog({ path: 'events.db' }); // durable, replayable
const bus = new EventBus({ log, onError: (e) => console.warn(e.code, e.message) });
const file = await JsonlSink.open('logs/ses_1.jsonl', { backfillFrom: log }); // rotates at 100 MiB
bus.registry.register('ses_1', file); // this session's events → this file

bus.on('message.delta', (event) => process.stdout.write(event.data.delta)); // typed payload

bus.emit({ type: 'run.started', sessionId: 'ses_1', runId: 'run_1', data: { trigger: 'user' } });
bus.emit({
  type: 'message.delta',
  sessionId: 'ses_1',
  runId: 'run_1',
  data: { messageId: 'msg_1', delta: 'Hello' },
});
bus.emit({
  type: 'run.finished',
  sessionId: 'ses_1',
  runId: 'run_1',
  data: { stopReason: 'completed', durationMs: 5 },
});

await bus.flush(); // stored in SQLite, delivered to subscribers and the JSONL file
for (const event of log.read('ses_1')) console.log(event.seq, event.type);
await file.close();
log.close();
