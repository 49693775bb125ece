import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventLog } from './sqlite-event-log.js';

const packageDir = fileURLToPath(new URL('../../..', import.meta.url));
const srcDir = fileURLToPath(new URL('../..', import.meta.url));

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A plain-JavaScript copy of the writer and the modules it imports
 * (type-stripped with TypeScript's transpiler, nothing bundled), so the 20
 * writers start with plain `node`: loading them through tsx costs several
 * times the CPU per process, which a loaded CI machine feels. It lives under
 * the package's `node_modules/.cache` so `zod` and `better-sqlite3` resolve
 * as usual.
 */
function transpileWriter(): string {
  const cache = path.join(packageDir, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const out = fs.mkdtempSync(path.join(cache, 'sqlite-crash-'));
  dirs.push(out);
  const entry = path.join('node', 'sqlite', 'sqlite-writer-process.mjs');
  const todo = [entry];
  const done = new Set<string>();
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (done.has(file)) continue;
    done.add(file);
    const source = path.join(srcDir, file.replace(/\.js$/, '.ts'));
    const text = fs.readFileSync(source, 'utf8');
    // Relative imports only (`import … from './x.js'`, `export … from '../y.js'`); packages resolve from node_modules.
    for (const [, specifier] of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      todo.push(path.join(path.dirname(file), specifier!));
    }
    const target = path.join(out, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(
      target,
      file.endsWith('.mjs')
        ? text
        : ts.transpileModule(text, {
            compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
          }).outputText,
    );
  }
  return path.join(out, entry);
}

let writerScript = '';
beforeAll(() => {
  writerScript = transpileWriter();
}, 60_000);

type WriterMessage =
  | { ready: true }
  | { started: true; head: number }
  | { ack: number }
  | { failed: true; code: string };

/**
 * One writer process in `crash` mode. Started ahead of time (loading takes a
 * while on a busy machine); `run` releases it: it reads the stored head,
 * emits bursts through an EventBus into the SQLite file and acknowledges each
 * burst after `flush()` resolved. It is SIGKILLed once it has acknowledged
 * `acksBeforeKill` bursts, plus a random few milliseconds, so the kill lands
 * at a random point (mid-burst, mid-transaction, between bursts).
 */
function startWriter(dbPath: string, writer: string) {
  const child = fork(
    writerScript,
    [JSON.stringify({ dbPath, sessionId: 'crash', count: 0, batch: 40, mode: 'crash', writer })],
    { cwd: packageDir, execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let head: number | undefined;
  let acksBeforeKill = Infinity;
  const acked: number[] = [];
  const failures: string[] = [];
  const ready = new Promise<void>((resolve) =>
    child.on('message', (message: WriterMessage) => {
      if ('ready' in message) resolve();
      else if ('started' in message) head = message.head;
      else if ('ack' in message) {
        acked.push(message.ack);
        if (acked.length === acksBeforeKill) {
          setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 8));
        }
      } else failures.push(message.code);
    }),
  );
  // 'close' comes after the IPC channel delivered every message the child sent before it died.
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  const run = async (kills: number) => {
    await ready;
    acksBeforeKill = kills;
    child.send('go');
    const [code, signal] = await closed;
    expect({ signal, code, failures, stderr }).toEqual({
      signal: 'SIGKILL',
      code: null,
      failures: [],
      stderr: '',
    });
    return { head: head!, acked };
  };
  return { run, kill: () => child.kill('SIGKILL') };
}

describe('SqliteEventLog under SIGKILL', () => {
  it('keeps every acknowledged event, a contiguous sequence, and lets the next writer continue, across 20 kills', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-crash-db-'));
    dirs.push(dir);
    const dbPath = path.join(dir, 'events.db');
    new SqliteEventLog({ path: dbPath }).close();
    const rounds = 20;
    // Writers load TypeScript ahead of their turn (a few at a time), so the
    // kills follow each other quickly; each reads the head only when released.
    const writers = [0, 1, 2].map((round) => startWriter(dbPath, `W${round}`));
    let stored = 0;
    for (let round = 0; round < rounds; round++) {
      const writer = `W${round}`;
      const current = writers.shift()!;
      if (round + 3 < rounds) writers.push(startWriter(dbPath, `W${round + 3}`));
      const { head, acked } = await current.run(1 + (round % 4));
      expect(head).toBe(stored); // the new writer started from the stored head
      const log = new SqliteEventLog({ path: dbPath });
      const events = log.read('crash', 0, 1_000_000);
      log.close();
      const seqs = events.map((event) => event.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1)); // contiguous, no duplicate
      expect(acked.length).toBeGreaterThan(0);
      expect(seqs.length).toBeGreaterThanOrEqual(acked.at(-1)!); // every acknowledged event survived
      const mine = events.filter((event) => event.meta?.['test.writer'] === writer);
      expect(mine[0]?.seq).toBe(stored + 1); // this writer continued the sequence
      expect(mine.at(-1)!.seq).toBe(seqs.length); // and nothing of an earlier writer came after it
      stored = seqs.length;
    }
    expect(stored).toBeGreaterThan(20);
  }, 120_000);
});
