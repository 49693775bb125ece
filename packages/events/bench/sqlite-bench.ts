// SQLite event log throughput, each case against the same baseline measured in
// the same process: the same pre-built events JSON.stringify'd and appended to
// a plain file in 64 KiB chunks (what a bare JSONL writer costs).
// Standalone: `npx tsx bench/sqlite-bench.ts` from packages/events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventBus } from '../src/bus/event-bus.js';
import { SqliteEventLog } from '../src/node/sqlite/sqlite-event-log.js';
import type { AnyEvent, EventDraft } from '../src/schema/agent-event.js';
import { SessionSequencer } from '../src/sequencer/session-sequencer.js';
import { compare, printTable, type BenchResult } from './bench-utils.js';

const EVENTS = 100_000;
/** Events emitted synchronously before the producer yields (one bus transaction each). */
const BURST = 100;
/** Events per direct `log.append` call. */
const BATCH = 1000;
const CHUNK_BYTES = 64 * 1024;
const SESSION = 'ses_bench';

/** A streamed run: mostly text deltas, with the tool-call and step events around them. */
function buildDrafts(count: number): EventDraft[] {
  const drafts: EventDraft[] = [];
  for (let i = 0; drafts.length < count; i++) {
    const scope = {
      sessionId: SESSION,
      runId: `run_${Math.floor(i / 1000)}`,
      stepIndex: i % 7,
    } as const;
    if (i % 50 === 0) {
      drafts.push({
        ...scope,
        type: 'tool_call.completed',
        data: { toolCallId: `c${i}`, status: 'completed', output: { hits: i % 9 }, durationMs: 12 },
      });
    } else if (i % 50 === 1) {
      drafts.push({ ...scope, type: 'step.started', data: { stepIndex: i % 7 } });
    } else {
      drafts.push({
        ...scope,
        type: 'message.delta',
        data: { messageId: `m${Math.floor(i / 50)}`, delta: `token ${i} ` },
      });
    }
  }
  return drafts;
}

async function appendJsonl(file: string, events: readonly AnyEvent[]): Promise<void> {
  let chunk = '';
  for (const event of events) {
    chunk += JSON.stringify(event) + '\n';
    if (chunk.length >= CHUNK_BYTES) {
      await fs.promises.appendFile(file, chunk);
      chunk = '';
    }
  }
  if (chunk.length > 0) await fs.promises.appendFile(file, chunk);
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs both SQLite cases; every round writes a fresh file in a temp dir (removed afterwards). */
export async function runSqliteBench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-bench-'));
  let files = 0;
  const nextFile = (ext: string) => path.join(dir, `run-${++files}.${ext}`);
  const drafts = buildDrafts(EVENTS);
  const sequencer = new SessionSequencer(SESSION);
  const events: AnyEvent[] = drafts.map((draft) => sequencer.stamp(draft));
  const baseline = async () => {
    const file = nextFile('jsonl');
    await appendJsonl(file, events);
    fs.rmSync(file);
  };
  const withLog = async (fn: (log: SqliteEventLog) => Promise<void> | void) => {
    const file = nextFile('db');
    const log = new SqliteEventLog({ path: file });
    try {
      await fn(log);
      if (log.head(SESSION).seq !== EVENTS)
        throw new Error(`stored ${log.head(SESSION).seq} of ${EVENTS} events`);
    } finally {
      log.close();
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    }
  };
  try {
    const viaBus = await compare({
      name: `bus → SqliteEventLog (${EVENTS / 1000}k events, bursts of ${BURST})`,
      subject: 'EventBus.emit + SqliteEventLog (WAL, tx per microtask)',
      baseline: 'JSON.stringify + appendFile 64 KiB',
      events: EVENTS,
      runSubject: () =>
        withLog(async (log) => {
          const errors: unknown[] = [];
          const bus = new EventBus({ log, onError: (error) => errors.push(error) });
          for (let i = 0; i < drafts.length; i++) {
            bus.emit(drafts[i]!);
            if ((i + 1) % BURST === 0) await yieldToLoop();
          }
          await bus.flush();
          if (errors.length > 0) throw errors[0];
        }),
      runBaseline: baseline,
      target: '>= 50,000 events/s',
      passes: (r) => r.subjectEventsPerSec >= 50_000,
    });
    const direct = await compare({
      name: `SqliteEventLog.append (${EVENTS / 1000}k events, batches of ${BATCH})`,
      subject: `log.append(batch of ${BATCH})`,
      baseline: 'JSON.stringify + appendFile 64 KiB',
      events: EVENTS,
      runSubject: () =>
        withLog((log) => {
          for (let start = 0; start < events.length; start += BATCH)
            log.append(events.slice(start, start + BATCH));
        }),
      runBaseline: baseline,
      target: '>= 50,000 events/s',
      passes: (r) => r.subjectEventsPerSec >= 50_000,
    });
    return [viaBus, direct];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runSqliteBench();
  printTable(results);
  for (const r of results) {
    console.log(
      `${r.name}: ${r.ratio.toFixed(2)}x the baseline's time (${r.pass ? 'meets' : 'MISSES'} ${r.target})`,
    );
  }
}
