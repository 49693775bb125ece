// The subject of the SSE bench, in its own process: the webui server around
// an agent that talks to the bench model server (MODEL_URL) and has the `add`
// tool the three-tool-calls script asks for; and, on a port of its own, the
// same-process baseline (a bare SSE endpoint fed by the same agent's bus).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAgent, defineTool, SqliteSessionStore } from '@switchboard/agent-core';
import { EventBus, MemoryEventLog } from '@switchboard/events';
import { SqliteEventLog } from '@switchboard/events/node';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z } from 'zod';
import { createServer } from '../src/index.js';
import { serveRequests } from './child-ipc.js';
import { RoundProfiler } from './cpu-profiler.js';
import { startSameProcessBaseline } from './same-process-baseline.js';

const add = defineTool({
  description: 'Adds two numbers.',
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => ({ sum: a + b }),
});
// BENCH_STORES=sqlite: the web app's own composition (SqliteEventLog and SqliteSessionStore,
// files in a temporary directory) instead of the in-memory log and store.
const sqliteDir =
  process.env.BENCH_STORES === 'sqlite'
    ? mkdtempSync(path.join(tmpdir(), 'sse-bench-'))
    : undefined;
const log = sqliteDir
  ? new SqliteEventLog({ path: path.join(sqliteDir, 'events.db') })
  : new MemoryEventLog();
/** Appends to the log (transactions, with SQLite) and events appended, since the last `loop` request. */
const appends = { calls: 0, events: 0 };
const append = log.append.bind(log);
log.append = (events, json) => {
  appends.calls++;
  appends.events += events.length;
  return append(events, json);
};
const store = sqliteDir
  ? new SqliteSessionStore({ path: path.join(sqliteDir, 'sessions.db') })
  : undefined;
const agent = createAgent({
  name: 'bench',
  model: 'openai-compatible:m',
  env: { SWITCHBOARD_BASE_URL: process.env.MODEL_URL! },
  bus: new EventBus({ log }),
  ...(store ? { store } : {}),
  tools: { add },
  titles: { enabled: false },
});
const server = await createServer({
  agent,
  logger: false,
  port: 0,
  // The bench starts every round's runs at once.
  rateLimit: { runs: { max: 1_000_000, timeWindowMs: 60_000 } },
});
const url = await server.listen();
const sameProcess = await startSameProcessBaseline(agent);
/** sessionId → its top-level runs going on. */
const running = new Map<string, Set<string>>();
agent.bus.on('run.started', (event) => {
  if (event.parentRunId !== undefined || event.runId === undefined) return;
  let runs = running.get(event.sessionId);
  if (!runs) running.set(event.sessionId, (runs = new Set()));
  runs.add(event.runId);
});
const ended = (event: { sessionId: string; runId?: string }) => {
  if (event.runId !== undefined) running.get(event.sessionId)?.delete(event.runId);
};
agent.bus.on('run.finished', ended);
agent.bus.on('run.failed', ended);

// How long the event loop was blocked (a watcher's frame waits that long), and
// the CPU time spent, since the last `loop` request: the driver reads and resets
// them around each round.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
let cpuSince = process.cpuUsage();

const profiler = process.env.BENCH_CPU_PROF
  ? new RoundProfiler(process.env.BENCH_CPU_PROF)
  : undefined;

serveRequests(async (request) => {
  if (request.type === 'rss') return process.memoryUsage().rss;
  if (request.type === 'profile-start') return profiler?.start() ?? null;
  if (request.type === 'profile-stop') return (await profiler?.stop(String(request.name))) ?? null;
  if (request.type === 'loop') {
    const ms = (ns: number) => ns / 1e6;
    const cpu = process.cpuUsage(cpuSince);
    const answer = {
      p50: ms(loopDelay.percentile(50)),
      p99: ms(loopDelay.percentile(99)),
      max: ms(loopDelay.max),
      cpuMs: (cpu.user + cpu.system) / 1000,
      appends: appends.calls,
      appendedEvents: appends.events,
    };
    appends.calls = 0;
    appends.events = 0;
    loopDelay.reset();
    cpuSince = process.cpuUsage();
    return answer;
  }
  if (request.type === 'same-process-url') return sameProcess.url;
  if (request.type === 'runs-ended') {
    // Every run of the round has ended (the runs of other sessions may trail the watched one).
    // Watched on the bus: a GET of a session reduces its whole log, and polling that every
    // 10 ms would add work that grows with the rounds to what is measured.
    const ids = request.ids as string[];
    while (ids.some((id) => (running.get(id)?.size ?? 0) > 0))
      await new Promise((resolve) => setTimeout(resolve, 10));
    return true;
  }
  if (request.type === 'idle') {
    // Then every session idle again (its handle, as the API shows it) before the next round.
    for (const id of request.ids as string[]) {
      for (;;) {
        const response = await server.app.inject({ url: `/api/sessions/${id}` });
        if (response.json<{ status: string }>().status === 'idle') break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    return true;
  }
  throw new Error(`unknown request ${request.type}`);
});
process.once('SIGTERM', () => {
  void Promise.all([sameProcess.close(), server.close()])
    .then(async () => {
      await store?.close();
      log.close();
      if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
    })
    .then(() => process.exit(0));
});
process.send!({ type: 'ready', url });
