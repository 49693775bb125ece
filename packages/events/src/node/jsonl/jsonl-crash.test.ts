import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnyEvent } from '../../schema/agent-event.js';
import { SqliteEventLog } from '../sqlite/sqlite-event-log.js';
import { readJsonlEventArray } from './read-jsonl.js';

const writerScript = fileURLToPath(new URL('./jsonl-crash-writer.mjs', import.meta.url));
const packageDir = fileURLToPath(new URL('../../..', import.meta.url));
const root = mkdtempSync(path.join(os.tmpdir(), 'jsonl-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const KILLS = 20; // each kill hits both setups
/** Writers started ahead of their turn, to hide process start-up. */
const BOOT_AHEAD = 3;

/** A small seeded PRNG (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Heads = Record<string, number>;
interface Message {
  ready?: Heads;
  acked?: Heads;
  done?: boolean;
  error?: string;
  recovered?: boolean;
  message?: string;
}

interface Writer {
  child: ChildProcess;
  messages: Message[];
  /** Resolves with the next message that satisfies `predicate` (or rejects when the child ends first). */
  until: (predicate: (message: Message) => boolean) => Promise<Message>;
  exited: Promise<void>;
  go: () => void;
}

/** Starts a writer process; it loads its modules and waits for `go()` before touching the files. */
function startWriter(config: object): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', writerScript, JSON.stringify(config)], {
    cwd: packageDir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: Message[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    messages.push(JSON.parse(line) as Message);
    for (const wake of waiters) wake();
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.stdin.on('error', () => {}); // a killed child closes its end
  const until = (predicate: (message: Message) => boolean) =>
    new Promise<Message>((resolve, reject) => {
      const check = () => {
        const found = messages.find(predicate);
        if (found) {
          waiters.delete(check);
          resolve(found);
        }
      };
      waiters.add(check);
      check();
      void exited.then(() => {
        check();
        if (waiters.delete(check)) reject(new Error(`writer ended without it: ${stderr}`));
      });
    });
  return { child, messages, until, exited, go: () => child.stdin.write('go\n') };
}

/** Every event of the series, grouped by session, after checking it is contiguous from 1. */
async function checkSeries(
  file: string,
  expected: { sessions: string[]; acked: Heads },
  context: string,
) {
  const { sessions, acked } = expected;
  const events = await readJsonlEventArray(file); // throws on any corrupt or out-of-order line
  const bySession = new Map<string, AnyEvent[]>(sessions.map((id) => [id, []]));
  for (const event of events) bySession.get(event.sessionId)!.push(event);
  for (const [sessionId, list] of bySession) {
    const seqs = list.map((event) => event.seq);
    expect(seqs, `${context}: ${sessionId} contiguous`).toEqual(seqs.map((_, index) => index + 1));
    expect(
      seqs.length,
      `${context}: ${sessionId} keeps every acknowledged event`,
    ).toBeGreaterThanOrEqual(acked[sessionId] ?? 0);
  }
  return bySession;
}

describe('JsonlSink under SIGKILL', () => {
  it(`keeps every acknowledged event, contiguous, across ${KILLS} kills, alone and beside a SQLite log`, async () => {
    const seed = Date.now() % 1_000_000;
    const next = random(seed);
    const alone = { file: path.join(root, 'alone', 'events.jsonl'), session: 's' };
    const withLog = {
      file: path.join(root, 'with-log', 'events.jsonl'),
      dbPath: path.join(root, 'events.db'),
      sessions: ['a', 'b'],
    };
    const series = [
      { file: alone.file, sessions: [alone.session] },
      { file: withLog.file, sessions: withLog.sessions },
    ];
    const config = { alone, withLog };
    let acked: Heads = {};
    const onFile = new Map([alone.session, ...withLog.sessions].map((id) => [id, 0]));
    const unexpected: Message[] = [];
    // Writers boot (tsx, modules) a few ahead while the current one runs: the loop pays for it once.
    const booting = Array.from({ length: BOOT_AHEAD }, () => startWriter(config));
    for (let kill = 1; kill <= KILLS; kill++) {
      const context = `seed ${seed}, kill ${kill}`;
      const current = booting.shift()!;
      if (kill + booting.length < KILLS) booting.push(startWriter(config));
      current.go();
      const ready = (await current.until((message) => message.ready !== undefined)).ready!;
      // The writer continues each session's seq: from the file alone, or from the log.
      expect(ready[alone.session], `${context}: head`).toBe(onFile.get(alone.session));
      for (const id of withLog.sessions)
        expect(ready[id], `${context}: ${id} head`).toBeGreaterThanOrEqual(onFile.get(id)!);
      const acks = Math.floor(next() * 6);
      await current.until(() => current.messages.filter((m) => m.acked).length >= acks);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 15)));
      current.child.kill('SIGKILL');
      await current.exited;
      for (const message of current.messages) {
        if (message.acked) acked = { ...acked, ...message.acked };
        else if (message.error && !(message.error === 'EVENTS_JSONL_CORRUPT' && message.recovered))
          unexpected.push(message);
      }
      for (const { file, sessions } of series) {
        const after = await checkSeries(file, { sessions, acked }, context);
        for (const id of sessions) onFile.set(id, after.get(id)!.length);
      }
    }
    // A last writer runs to the end: each file holds every event, and the shared one exactly the log's.
    const last = startWriter({ ...config, rounds: 3 });
    last.go();
    await last.until((message) => message.done === true);
    await last.exited;
    for (const message of last.messages)
      if (message.error && !message.recovered) unexpected.push(message);
    const final = new Map<string, AnyEvent[]>();
    for (const { file, sessions } of series)
      for (const [id, events] of await checkSeries(
        file,
        { sessions, acked },
        `seed ${seed}, final`,
      ))
        final.set(id, events);
    const log = new SqliteEventLog({ path: withLog.dbPath });
    for (const id of withLog.sessions)
      expect(final.get(id), `seed ${seed}: ${id} = log`).toEqual(log.read(id, 0, 1e9));
    log.close();
    expect(unexpected, `seed ${seed}`).toEqual([]);
    expect(acked[alone.session], `seed ${seed}: the writers made progress`).toBeGreaterThan(0);
  }, 240_000); // process start-up (tsx) dominates: 36–44 s alone at load 20–44, 95 s in a full parallel run
});
