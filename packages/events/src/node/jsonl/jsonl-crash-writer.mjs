// A writer in its own OS process for the JSONL crash test, killed with SIGKILL
// at random points. Started with `node --import tsx` so it runs the real
// TypeScript sink, bus and log. It waits for a line on stdin before opening
// anything (so the parent can start it early), then writes bursts of events
// (some over 64 KiB) through the bus into a JsonlSink, with a SqliteEventLog
// beside it when `dbPath` is given, and after each `bus.flush()` prints the
// acknowledged head of every session as one JSON line on stdout.
// `rounds` set: stop after that many bursts and close cleanly.
import { once } from 'node:events';
import { EventBus } from '../../bus/event-bus.js';
import { SqliteEventLog } from '../sqlite/sqlite-event-log.js';
import { JsonlSink } from './jsonl-sink.js';

const { file, dbPath, sessions, rounds } = JSON.parse(process.argv[2]);
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const report = (error) =>
  say({ error: error.code, recovered: error.details?.recovered === true, message: error.message });

process.stdin.setEncoding('utf8');
await once(process.stdin, 'data');

const log = dbPath ? new SqliteEventLog({ path: dbPath }) : undefined;
const sink = await JsonlSink.open(file, {
  backfillFrom: log,
  bufferBytes: 8 * 1024,
  flushIntervalMs: 2,
  onError: report,
});
const bus = new EventBus({ log, sinks: [sink], onError: report });
// Without a log the file is the only record: continue from its last line (one session).
if (!log) bus.restoreSession(sessions[0], sink.head);
// Where each session continues: the log's head, or the file's last line.
say({
  ready: Object.fromEntries(sessions.map((id) => [id, log ? log.head(id).seq : sink.head.seq])),
});
// Acknowledged: stamped by this bus and flushed (a session not yet emitted here acknowledges nothing).
const acked = () =>
  Object.fromEntries(sessions.flatMap((id) => (bus.head(id) ? [[id, bus.head(id).seq]] : [])));

let emitted = 0;
for (let round = 0; rounds === undefined || round < rounds; round++) {
  const burst = 1 + ((round * 7) % 13);
  for (let index = 0; index < burst; index++) {
    emitted += 1;
    const big = emitted % 40 === 0; // a 70 KB tool output now and then: a last line over 64 KiB
    bus.emit({
      type: 'message.delta',
      sessionId: sessions[emitted % sessions.length],
      runId: 'r',
      data: { messageId: 'm', delta: big ? 'x'.repeat(70_000) : `delta ${emitted}` },
    });
  }
  await bus.flush();
  say({ acked: acked() });
}
await sink.close();
log?.close();
say({ done: true });
process.stdin.destroy();
