// SQLite event log against raw better-sqlite3 doing the same work: the same
// file layout (the log creates the schema, the baseline then opens the file
// itself with the log's pragmas), the same INSERT per event with the event's
// JSON, and the same transaction batching (one BEGIN IMMEDIATE transaction per
// burst or batch). What the log adds on top is its contiguity check per batch,
// the bus, and live subscribers.
// Standalone: `npx tsx bench/sqlite-bench.ts` from packages/events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { EventBus, type AnyEvent } from '../src/index.js';
import { SqliteEventLog } from '../src/node.js';
// eslint-disable-next-line switchboard/dependency-direction -- the shared bench helper belongs to no package (see its header)
import {
  describeMachine,
  measureAbba,
  report,
  type AbbaResult,
} from '../../../tools/bench/abba.js';
import { draftAt, handStamper, nextTick } from './drafts.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
/** Events emitted before the producer yields: the bus stores each burst in one transaction. */
const BURST = 100;
/** Events per direct `append` call. */
const BATCH = 1000;
/** The direct-append case is a smaller, second look (the 1M case above is the headline). */
const DIRECT_EVENTS = Math.min(EVENTS, 200_000);

/** A raw connection to a file the log created, set up as the log sets up its own. */
function openRaw(file: string) {
  const db = new Database(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(
    'INSERT INTO events (session_id, seq, ts, type, run_id, body) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const store = db.transaction((events: readonly AnyEvent[]) => {
    for (const event of events) {
      insert.run(
        event.sessionId,
        event.seq,
        event.ts,
        event.type,
        event.runId ?? null,
        JSON.stringify(event),
      );
    }
  });
  return { db, store: (events: readonly AnyEvent[]) => store.immediate(events) };
}

/** Stamps `count` events from `start` by hand, into one array reused from batch to batch. */
function batchStamper(): (start: number, count: number) => AnyEvent[] {
  const stamp = handStamper();
  const batch: AnyEvent[] = [];
  return (start, count) => {
    batch.length = 0;
    for (let index = start; index < start + count; index++) batch.push(stamp(draftAt(index)));
    return batch;
  };
}

export async function runSqliteBench(): Promise<AbbaResult[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-bench-'));
  let files = 0;
  /** One side of a case: a fresh database file per sample, created by the log (untimed), checked and deleted after. */
  const side = (
    label: string,
    write: (file: string) => Promise<void> | void,
    expected = EVENTS,
  ) => {
    let file = '';
    return {
      label,
      before: () => {
        file = path.join(root, `round-${++files}.db`);
        new SqliteEventLog({ path: file }).close();
      },
      run: () => write(file),
      after: () => {
        const db = new Database(file, { readonly: true });
        const stored = db.prepare('SELECT count(*) FROM events').pluck().get();
        db.close();
        if (stored !== expected)
          throw new Error(`${label}: stored ${String(stored)} of ${expected}`);
        for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
      },
    };
  };
  try {
    const viaBus = await measureAbba({
      name: `bus → SqliteEventLog, ${EVENTS.toLocaleString('en-US')} events, bursts of ${BURST}`,
      subject: side(
        '`EventBus.emit` + `SqliteEventLog` (WAL, one transaction per burst)',
        async (file) => {
          const log = new SqliteEventLog({ path: file });
          const errors: unknown[] = [];
          const bus = new EventBus({ log, onError: (error) => errors.push(error) });
          for (let index = 0; index < EVENTS; index++) {
            bus.emit(draftAt(index));
            if (index % BURST === BURST - 1) await nextTick();
          }
          await bus.flush();
          log.close();
          if (errors.length > 0) throw errors[0];
        },
      ),
      baseline: side(
        'hand-stamped events, raw better-sqlite3 INSERT of the JSON into the same table, one `BEGIN IMMEDIATE` transaction per burst',
        async (file) => {
          const raw = openRaw(file);
          const stampBurst = batchStamper();
          for (let start = 0; start < EVENTS; start += BURST) {
            raw.store(stampBurst(start, Math.min(BURST, EVENTS - start)));
            await nextTick();
          }
          raw.db.close();
        },
      ),
      units: { count: EVENTS, name: 'event' },
      target: { text: 'median ratio ≤ 1.5', maxRatio: 1.5 },
      onRound: (index) => process.stderr.write(`sqlite bus round ${index + 1}\n`),
    });
    const direct = await measureAbba({
      name: `SqliteEventLog.append, ${DIRECT_EVENTS.toLocaleString('en-US')} events, batches of ${BATCH}`,
      subject: side(
        `\`log.append(batch)\` of hand-stamped events`,
        (file) => {
          const log = new SqliteEventLog({ path: file });
          const stampBatch = batchStamper();
          for (let start = 0; start < DIRECT_EVENTS; start += BATCH)
            log.append(stampBatch(start, Math.min(BATCH, DIRECT_EVENTS - start)));
          log.close();
        },
        DIRECT_EVENTS,
      ),
      baseline: side(
        'the same events, raw INSERTs in one `BEGIN IMMEDIATE` transaction per batch',
        (file) => {
          const raw = openRaw(file);
          const stampBatch = batchStamper();
          for (let start = 0; start < DIRECT_EVENTS; start += BATCH)
            raw.store(stampBatch(start, Math.min(BATCH, DIRECT_EVENTS - start)));
          raw.db.close();
        },
        DIRECT_EVENTS,
      ),
      units: { count: DIRECT_EVENTS, name: 'event' },
      target: { text: 'median ratio ≤ 1.5', maxRatio: 1.5 },
      onRound: (index) => process.stderr.write(`sqlite append round ${index + 1}\n`),
    });
    return [viaBus, direct];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  report('@switchboard/events: SQLite', await runSqliteBench(), { machine: describeMachine() });
}
