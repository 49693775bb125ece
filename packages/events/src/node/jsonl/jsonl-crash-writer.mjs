// A writer in its own OS process for the JSONL crash test, killed with SIGKILL
// at random points. Started with `node --import tsx` so it runs the real
// TypeScript sink, bus and log. It waits for a line on stdin before opening
// anything (so the parent can start it early), then drives two setups at once,
// so each kill hits both:
// - `alone`: one session's JsonlSink, the file as the only record (the bus
//   continues from `sink.head`);
// - `withLog`: a JsonlSink shared by two sessions beside a SqliteEventLog (the
//   bus continues from the log; the sink backfills from it).
// Bursts of events (some over 64 KiB) go to both; after each `bus.flush()` of
// both buses it prints the acknowledged head of every session it emitted to,
// as one JSON line on stdout. `rounds` set: stop after that many bursts.
import { once } from 'node:events';
import { EventBus } from '../../bus/event-bus.js';
import { SqliteEventLog } from '../sqlite/sqlite-event-log.js';
import { JsonlSink } from './jsonl-sink.js';

const { alone, withLog, rounds } = JSON.parse(process.argv[2]);
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const report = (error) =>
  say({ error: error.code, recovered: error.details?.recovered === true, message: error.message });
const options = { bufferBytes: 8 * 1024, flushIntervalMs: 2, onError: report };

process.stdin.setEncoding('utf8');
await once(process.stdin, 'data');

const aloneSink = await JsonlSink.open(alone.file, options);
const aloneBus = new EventBus({ sinks: [aloneSink], onError: report });
aloneBus.restoreSession(alone.session, aloneSink.head);

const log = new SqliteEventLog({ path: withLog.dbPath });
const sharedSink = await JsonlSink.open(withLog.file, { ...options, backfillFrom: log });
const logBus = new EventBus({ log, sinks: [sharedSink], onError: report });

// Where each session continues: the file's last line, or the log's head.
say({
  ready: {
    [alone.session]: aloneSink.head.seq,
    ...Object.fromEntries(withLog.sessions.map((id) => [id, log.head(id).seq])),
  },
});
// Acknowledged: stamped by this process and flushed (a session not yet emitted acknowledges nothing).
const acked = () =>
  Object.fromEntries(
    [
      [aloneBus, [alone.session]],
      [logBus, withLog.sessions],
    ].flatMap(([bus, ids]) => ids.flatMap((id) => (bus.head(id) ? [[id, bus.head(id).seq]] : []))),
  );

let emitted = 0;
for (let round = 0; rounds === undefined || round < rounds; round++) {
  const burst = 1 + ((round * 7) % 13);
  for (let index = 0; index < burst; index++) {
    emitted += 1;
    const big = emitted % 40 === 0; // a 70 KB tool output now and then: a last line over 64 KiB
    const data = { messageId: 'm', delta: big ? 'x'.repeat(70_000) : `delta ${emitted}` };
    aloneBus.emit({ type: 'message.delta', sessionId: alone.session, runId: 'r', data });
    const sessionId = withLog.sessions[emitted % withLog.sessions.length];
    logBus.emit({ type: 'message.delta', sessionId, runId: 'r', data });
  }
  await Promise.all([aloneBus.flush(), logBus.flush()]);
  say({ acked: acked() });
}
await Promise.all([aloneSink.close(), sharedSink.close()]);
log.close();
say({ done: true });
process.stdin.destroy();
