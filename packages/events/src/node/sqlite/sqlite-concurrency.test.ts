import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../bus/event-bus.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import { SqliteEventLog } from './sqlite-event-log.js';

const packageDir = fileURLToPath(new URL('../../..', import.meta.url));
const writerScript = fileURLToPath(new URL('./sqlite-writer-process.mjs', import.meta.url));

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const dbFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-concurrency-'));
  dirs.push(dir);
  return path.join(dir, 'events.db');
};
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

interface WriterConfig {
  dbPath: string;
  sessionId: string;
  count: number;
  batch: number;
  mode: 'append' | 'bus' | 'optimistic';
  writer: string;
}
type WriterResult =
  | { done: true; appended: number; conflicts?: number }
  | { failed: true; code: string; message?: string };

/** Starts a writer in its own OS process (real TypeScript through tsx); it waits for `go()` after opening the file. */
function startWriter(config: WriterConfig) {
  const child = fork(writerScript, [JSON.stringify(config)], {
    cwd: packageDir,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close' (not 'exit') comes after the IPC channel has delivered every message.
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const noResult = () =>
    exited.then((code) =>
      Promise.reject(
        new Error(`writer ${config.writer} ended (${code}) without answering: ${stderr}`),
      ),
    );
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: { ready?: boolean }) => message.ready && resolve());
    noResult().catch(reject);
  });
  const result = new Promise<WriterResult>((resolve, reject) => {
    child.on('message', (message: { ready?: boolean } & Partial<WriterResult>) => {
      if (!message.ready) resolve(message as WriterResult);
    });
    noResult().catch(reject);
  });
  return { ready, go: () => child.send('go'), result, exited };
}

/** Runs writers in parallel processes, releasing them together once all have opened the file. */
async function race(configs: WriterConfig[]): Promise<WriterResult[]> {
  const writers = configs.map(startWriter);
  await Promise.all(writers.map((writer) => writer.ready));
  for (const writer of writers) writer.go();
  const results = await Promise.all(writers.map((writer) => writer.result));
  expect(await Promise.all(writers.map((writer) => writer.exited))).toEqual(configs.map(() => 0));
  return results;
}

const writerOf = (event: AnyEvent) => event.meta?.['test.writer'];
const readAll = (log: SqliteEventLog, sessionId: string) => log.read(sessionId, 0, 1_000_000);

// Each test forks two tsx processes: on a loaded 2-core machine their start-up alone can take
// several seconds, so the bound is the file's, not the package default (20 s).
describe('SqliteEventLog under concurrent writers', { timeout: 90_000 }, () => {
  it('stores two sessions interleaved through one bus, each complete and contiguous', async () => {
    const log = new SqliteEventLog({ path: dbFile() });
    const errors: unknown[] = [];
    const bus = new EventBus({ log, onError: (error) => errors.push(error) });
    const batches: string[][] = [];
    const append = log.append.bind(log);
    log.append = (events) => {
      batches.push([...new Set(events.map((event) => event.sessionId))]);
      append(events);
    };
    const produce = async (sessionId: string, count: number, burst: number) => {
      for (let i = 0; i < count; i++) {
        bus.emit({
          type: 'message.delta',
          sessionId,
          runId: `run-${sessionId}`,
          data: { messageId: 'm', delta: `${i}` },
        });
        if (i % burst === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([produce('s1', 1500, 7), produce('s2', 1200, 11)]);
    await bus.flush();
    expect(errors).toEqual([]);
    expect(readAll(log, 's1').map((event) => event.seq)).toEqual(range(1, 1500));
    expect(readAll(log, 's2').map((event) => event.seq)).toEqual(range(1, 1200));
    expect(
      log.readRun('s2', 'run-s2').map((event) => (event.data as { delta: string }).delta),
    ).toEqual(range(0, 1199).map(String));
    expect(batches.some((sessions) => sessions.length === 2)).toBe(true); // transactions really mixed both
    log.close();
  });

  it.each(['append', 'bus'] as const)(
    'two processes writing their own sessions to one WAL file (%s, batches) both end complete and contiguous',
    async (mode) => {
      const dbPath = dbFile();
      new SqliteEventLog({ path: dbPath }).close(); // create the schema up front (the writers also race on it otherwise)
      const results = await race([
        { dbPath, sessionId: 'left', count: 2000, batch: 50, mode, writer: 'L' },
        { dbPath, sessionId: 'right', count: 2000, batch: 80, mode, writer: 'R' },
      ]);
      expect(results).toEqual([
        { done: true, appended: 2000 },
        { done: true, appended: 2000 },
      ]);
      const log = new SqliteEventLog({ path: dbPath });
      for (const [sessionId, writer] of [
        ['left', 'L'],
        ['right', 'R'],
      ] as const) {
        const events = readAll(log, sessionId);
        expect(events.map((event) => event.seq)).toEqual(range(1, 2000));
        expect(new Set(events.map(writerOf))).toEqual(new Set([writer]));
        expect(log.head(sessionId).seq).toBe(2000);
      }
      expect(log.sessions()).toEqual(['left', 'right']);
      log.close();
    },
  );

  it('two processes creating a new file at once agree on the schema', async () => {
    const dbPath = dbFile();
    const results = await race([
      { dbPath, sessionId: 'x', count: 300, batch: 30, mode: 'append', writer: 'X' },
      { dbPath, sessionId: 'y', count: 300, batch: 30, mode: 'append', writer: 'Y' },
    ]);
    expect(results.every((result) => 'done' in result)).toBe(true);
    const log = new SqliteEventLog({ path: dbPath });
    expect(log.head('x').seq).toBe(300);
    expect(log.head('y').seq).toBe(300);
    log.close();
  });

  it('two processes racing on the SAME session: one gets EVENTS_SEQ_CONFLICT, the stored sequence has no gap or duplicate', async () => {
    const dbPath = dbFile();
    new SqliteEventLog({ path: dbPath }).close();
    const results = await race([
      { dbPath, sessionId: 'shared', count: 1000, batch: 50, mode: 'append', writer: 'A' },
      { dbPath, sessionId: 'shared', count: 1000, batch: 50, mode: 'append', writer: 'B' },
    ]);
    // Both read head 0 before starting, so both number their events 1..1000.
    const failed = results.filter((result) => 'failed' in result);
    const done = results.filter((result) => 'done' in result);
    expect(failed).toEqual([
      expect.objectContaining({ failed: true, code: 'EVENTS_SEQ_CONFLICT' }),
    ]);
    expect(done).toEqual([{ done: true, appended: 1000 }]);
    const winner = results[0] === done[0] ? 'A' : 'B';
    const log = new SqliteEventLog({ path: dbPath });
    const events = readAll(log, 'shared');
    expect(events.map((event) => event.seq)).toEqual(range(1, 1000));
    expect(new Set(events.map(writerOf))).toEqual(new Set([winner])); // no batch of the loser slipped in
    log.close();
  });

  it('two processes hammering the SAME session with retries: every refusal is a clean conflict, nothing is lost or doubled', async () => {
    const dbPath = dbFile();
    new SqliteEventLog({ path: dbPath }).close();
    const results = await race([
      { dbPath, sessionId: 'hot', count: 1000, batch: 10, mode: 'optimistic', writer: 'A' },
      { dbPath, sessionId: 'hot', count: 1000, batch: 10, mode: 'optimistic', writer: 'B' },
    ]);
    // A lock error (e.g. a stale read snapshot) would have ended a writer with {failed}.
    expect(results).toEqual([
      { done: true, appended: 1000, conflicts: expect.any(Number) },
      { done: true, appended: 1000, conflicts: expect.any(Number) },
    ]);
    const conflicts = results.reduce(
      (sum, result) => sum + ('conflicts' in result ? result.conflicts! : 0),
      0,
    );
    expect(conflicts).toBeGreaterThan(0); // the writers really collided
    const log = new SqliteEventLog({ path: dbPath });
    const events = readAll(log, 'hot');
    expect(events.map((event) => event.seq)).toEqual(range(1, 2000));
    expect(events.filter((event) => writerOf(event) === 'A')).toHaveLength(1000);
    log.close();
  });
});
