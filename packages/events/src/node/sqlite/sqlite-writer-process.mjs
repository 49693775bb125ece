// A separate OS process that writes to a SqliteEventLog file, for the
// concurrency tests. Started with `node --import tsx` so it runs the real
// TypeScript log, not a copy of its SQL. Protocol over the fork IPC channel:
// child → {ready, head} once the file is open; parent → 'go'; child appends
// `count` events to `sessionId` in batches of `batch` (each continuing the
// head it read at start; `optimistic` re-reads it and retries on conflict)
// and answers {done, appended[, conflicts]} or {failed, code}. Mode `crash`
// never ends: it emits bursts through a bus and, after each `flush()`
// resolved, acknowledges {ack: lastSeq}, until the parent kills it.
import { EventBus } from '../../bus/event-bus.js';
import { SqliteEventLog } from './sqlite-event-log.js';

const { dbPath, sessionId, count, batch, mode, writer } = JSON.parse(process.argv[2]);

const log = new SqliteEventLog({ path: dbPath });
const head = log.head(sessionId).seq;

const draft = (i) => ({
  type: 'message.delta',
  sessionId,
  runId: `run-${writer}`,
  data: { messageId: `m-${writer}`, delta: `${writer}:${i}` },
  meta: { 'test.writer': writer },
});
const stamp = (seq) => ({ v: 1, ...draft(seq), seq, ts: Date.now() });
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function viaAppend() {
  let appended = 0;
  while (appended < count) {
    const size = Math.min(batch, count - appended);
    log.append(Array.from({ length: size }, (_, i) => stamp(head + appended + i + 1)));
    appended += size;
    await tick(); // let the other process take the write lock between batches
  }
  return appended;
}

// Like a producer that numbers events itself: read the head, let other work
// run (the other process may commit meanwhile), then append; a conflict means
// someone else took those numbers, so re-read and try again.
async function optimistic() {
  let appended = 0;
  let conflicts = 0;
  while (appended < count) {
    const at = log.head(sessionId).seq;
    const size = Math.min(batch, count - appended);
    const events = Array.from({ length: size }, (_, i) => stamp(at + i + 1));
    await new Promise((resolve) => setTimeout(resolve, 1)); // widen the window between read and write
    try {
      log.append(events);
      appended += size;
    } catch (error) {
      if (error?.code !== 'EVENTS_SEQ_CONFLICT') throw error;
      conflicts += 1;
    }
  }
  return { appended, conflicts };
}

async function viaBus() {
  const errors = [];
  const bus = new EventBus({ log, onError: (error) => errors.push(error) });
  for (let i = 0; i < count; i++) {
    bus.emit(draft(i));
    if ((i + 1) % batch === 0) await tick();
  }
  await bus.flush();
  if (errors.length > 0) throw errors[0];
  return count;
}

// Bursts of 1..batch events, each acknowledged only once the bus says it is
// stored. The head is read at 'go' (not at start), so the parent can start
// the next writer while the current one still runs.
async function crashLoop() {
  process.send({ started: true, head: log.head(sessionId).seq });
  const bus = new EventBus({
    log,
    onError: (error) => process.send({ failed: true, code: error.code, message: error.message }),
  });
  for (let i = 0; ; i++) {
    const size = 1 + Math.floor(Math.random() * batch);
    let last;
    for (let j = 0; j < size; j++) last = bus.emit(draft(`${i}.${j}`));
    await bus.flush();
    process.send({ ack: last.seq });
  }
}

process.send({ ready: true, head });
process.once('message', async () => {
  if (mode === 'crash') return void crashLoop();
  try {
    if (mode === 'optimistic') process.send({ done: true, ...(await optimistic()) });
    else
      process.send({ done: true, appended: mode === 'bus' ? await viaBus() : await viaAppend() });
  } catch (error) {
    process.send({ failed: true, code: error?.code ?? String(error), message: error?.message });
  } finally {
    log.close();
    process.disconnect();
  }
});
