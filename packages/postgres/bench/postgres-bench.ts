// `pnpm bench` for @switchboard/postgres, against the SQLite log doing the
// same work in the same run (15+ paired rounds in ABBA order, tools/bench/abba.js):
// 1. events/s appended through the bus (bursts of 100 events per microtask
//    batch, so each bus delivery is one batched append);
// 2. delivery latency p50/p99: an event appended by instance B (a child
//    process with its own bus and log) until instance A's subscriber has it,
//    against the SQLite log on one instance (append and subscriber in one process).
// The PostgreSQL server is a throwaway cluster (startPostgresCluster), fsync on,
// synchronous_commit off (like SQLite's WAL with synchronous = NORMAL: a crash of
// the OS may lose the last commits, never corrupt the store).
// `BENCH_EVENTS=20000 BENCH_ROUNDS=15` are the defaults.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBus, type AnyEvent, type EventLog } from '@switchboard/events';
import { SqliteEventLog } from '@switchboard/events/node';
// eslint-disable-next-line switchboard/dependency-direction -- a bench uses the offline doubles, as tests do
import { startPostgresCluster } from '@switchboard/testkit';
// eslint-disable-next-line switchboard/dependency-direction -- the shared bench helper belongs to no package (see its header)
import { describeMachine, measureAbba, report } from '../../../tools/bench/abba.js';
import { PostgresEventLog } from '../src/index.js';
import { draftAt, wallNow } from './drafts.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const BURST = 100;
const LATENCY_EVENTS = 200;
const LATENCY_INTERVAL_MS = 2;

const cluster = await startPostgresCluster({
  durable: true,
  settings: { synchronous_commit: 'off' },
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-bench-'));
const postgres = new PostgresEventLog({ connection: { connectionString: cluster.url } });
const sqlite = new SqliteEventLog({ path: path.join(dir, 'events.db') });
await postgres.database.ready();
await postgres.database.listening();
let sessions = 0;

/** Appends EVENTS events of a fresh session through a bus on `log`, in bursts. */
async function throughput(log: EventLog): Promise<void> {
  const sessionId = `ses_${++sessions}`;
  const errors: string[] = [];
  const bus = new EventBus({ log, onError: (error) => errors.push(error.message) });
  bus.restoreSession(sessionId, { seq: 0, ts: 0 });
  for (let index = 0; index < EVENTS; index++) {
    bus.emit(draftAt(sessionId, index));
    if (index % BURST === BURST - 1) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await bus.flush();
  if (errors.length > 0) throw new Error(errors[0]);
  const head = await log.head(sessionId);
  if (head.seq !== EVENTS) throw new Error(`stored ${head.seq} of ${EVENTS}`);
}

const throughputResult = await measureAbba({
  name: `bus → PostgresEventLog vs SqliteEventLog, ${EVENTS.toLocaleString('en')} events, bursts of ${BURST}`,
  rounds: ROUNDS,
  units: { count: EVENTS, name: 'event' },
  baseline: {
    label: 'bus → SqliteEventLog (WAL, synchronous = NORMAL), one file',
    run: () => throughput(sqlite),
  },
  subject: {
    label: 'bus → PostgresEventLog (one append statement per bus batch), loopback TCP',
    run: () => throughput(postgres),
  },
  onRound: (round) => process.stderr.write(`throughput round ${round + 1}/${ROUNDS}\n`),
});

// --- cross-instance latency ---------------------------------------------------
const child = fork(new URL('./latency-child.ts', import.meta.url), [cluster.url], {
  execArgv: ['--import', 'tsx'],
});
const fromChild = (predicate: (message: { ready?: boolean; done?: boolean }) => boolean) =>
  new Promise<void>((resolve) => {
    const onMessage = (message: { ready?: boolean; done?: boolean }) => {
      if (!predicate(message)) return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
  });
await fromChild((message) => message.ready === true);

/** Latencies (ms) of LATENCY_EVENTS events from emit to a subscriber of `reader`. */
async function latency(reader: EventLog, appendElsewhere: boolean): Promise<number[]> {
  const sessionId = `lat_${++sessions}`;
  const controller = new AbortController();
  const samples: number[] = [];
  let subscribed!: () => void;
  const isSubscribed = new Promise<void>((resolve) => (subscribed = resolve));
  const receiving = (async () => {
    const iterator = reader.subscribe(sessionId, { signal: controller.signal });
    setTimeout(subscribed, 50); // the subscription is registered once iteration starts
    for await (const event of iterator) {
      samples.push(
        wallNow() - Number((event as AnyEvent & { data: { message: string } }).data.message),
      );
      if (samples.length === LATENCY_EVENTS) controller.abort();
    }
  })();
  await isSubscribed;
  if (appendElsewhere) {
    const done = fromChild((message) => message.done === true);
    child.send({ sessionId, count: LATENCY_EVENTS, intervalMs: LATENCY_INTERVAL_MS });
    await done;
  } else {
    const bus = new EventBus({ log: reader });
    bus.restoreSession(sessionId, { seq: 0, ts: 0 });
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      bus.emit({
        type: 'notice',
        sessionId,
        runId: 'r',
        data: { severity: 'info', message: String(wallNow()) },
      });
      await new Promise((resolve) => setTimeout(resolve, LATENCY_INTERVAL_MS));
    }
    await bus.flush();
  }
  await receiving;
  return samples;
}

const all = { postgres: [] as number[], sqlite: [] as number[] };
const p99s = { postgres: [] as number[], sqlite: [] as number[] };
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const record = (side: 'postgres' | 'sqlite', samples: number[]) => {
  all[side].push(...samples);
  p99s[side].push(percentile(samples, 99));
};
const latencyResult = await measureAbba({
  name: `delivery latency, ${LATENCY_EVENTS} events per sample, one every ${LATENCY_INTERVAL_MS} ms`,
  rounds: ROUNDS,
  units: { count: LATENCY_EVENTS, name: 'event' },
  baseline: {
    label: 'SqliteEventLog, one instance: emit → subscriber in the same process',
    run: async () => record('sqlite', await latency(sqlite, false)),
  },
  subject: {
    label:
      'PostgresEventLog, two instances: emit in process B → subscriber in process A (LISTEN/NOTIFY, then a read)',
    run: async () => record('postgres', await latency(postgres, true)),
  },
  onRound: (round) => process.stderr.write(`latency round ${round + 1}/${ROUNDS}\n`),
});

child.send({ stop: true });
await postgres.close();
sqlite.close();
await cluster.stop();
fs.rmSync(dir, { recursive: true, force: true });

const eventsPerSecond = (ms: number) => Math.round(EVENTS / (ms / 1000));
const spreadOf = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[0]!.toFixed(2)} / **${percentile(sorted, 50).toFixed(2)}** / ${sorted.at(-1)!.toFixed(2)}`;
};
const pgRate = eventsPerSecond(throughputResult.subject.wallMs.median);
const pgP99 = percentile(all.postgres, 99);
const lines = [
  '| measure | PostgreSQL | SQLite (one instance) | target | ok |',
  '| --- | ---: | ---: | --- | --- |',
  `| events/s through the bus (median sample; min–max) | **${pgRate.toLocaleString('en')}** (${eventsPerSecond(throughputResult.subject.wallMs.max).toLocaleString('en')}–${eventsPerSecond(throughputResult.subject.wallMs.min).toLocaleString('en')}) | ${eventsPerSecond(throughputResult.baseline.wallMs.median).toLocaleString('en')} | ≥ 20,000 | ${pgRate >= 20_000 ? 'yes' : 'no'} |`,
  `| delivery latency p50, all ${all.postgres.length} events (ms) | ${percentile(all.postgres, 50).toFixed(2)} | ${percentile(all.sqlite, 50).toFixed(2)} | | |`,
  `| delivery latency p99, all events (ms) | **${pgP99.toFixed(2)}** | ${percentile(all.sqlite, 99).toFixed(2)} | ≤ 50 | ${pgP99 <= 50 ? 'yes' : 'no'} |`,
  `| p99 per round, min / median / max (ms) | ${spreadOf(p99s.postgres)} | ${spreadOf(p99s.sqlite)} | | |`,
];
report('@switchboard/postgres', [throughputResult, latencyResult], {
  machine: describeMachine(),
  notes: [
    'PostgreSQL 15 (Debian), a throwaway cluster on loopback TCP: fsync on, synchronous_commit off (SQLite: WAL, synchronous = NORMAL).',
    'Latency: the event carries the wall time of its emit; the subscriber subtracts it from the wall time it receives it at (both processes read the same clock).',
  ],
});
console.log(`\n${lines.join('\n')}\n`);
if (pgRate < 20_000 || pgP99 > 50) process.exitCode = 1;
