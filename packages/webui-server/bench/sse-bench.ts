/**
 * SSE fan-out bench: W watchers of one session's event stream while R runs
 * go at once (one in the watched session, the others in their own sessions),
 * against the testkit's bench model server (three parallel tool calls, then
 * an answer, 5 ms between chunks) in a separate process; the webui server is
 * in a process of its own too. Baseline, in the same run: a bare Fastify SSE
 * endpoint (its own process) writing the same frames (the watched run's
 * events, re-stamped) to the same number of watchers, with the same gaps,
 * while the subject runs the same R runs without watchers: the machine is as
 * busy as in a subject round (on two cores the runs and the model server
 * take most of it), and the only difference between the sides is the server
 * that writes the frames.
 *
 *   pnpm nx run @switchboard/webui-server:bench            # 500 watchers, 50 runs, 15 rounds
 *   BENCH_QUICK=1 pnpm nx run @switchboard/webui-server:bench   # 50 watchers, 10 runs
 *
 * Per round and side: delivery latency p50/p99 (arrival at the watcher −
 * the event's `ts`, stamped by the server when the event was made), events
 * delivered per second, and the server's RSS after the round. Rounds are
 * paired in ABBA order; target: median of the paired p99 ratio ≤ 1.3.
 *
 * Two more baselines, reported, not judged:
 * - the same bare endpoint replaying on an idle machine (no runs going;
 *   BENCH_IDLE_BASELINE=0 leaves it out): how much the runs' load on the
 *   machine costs any server, ours or bare;
 * - a bare endpoint inside the subject's process, fed by the same agent's
 *   bus while the same runs go on (BENCH_SAME_PROCESS=0 leaves it out): the
 *   SSE path alone, with the event loop shared as the subject shares it.
 */
import { readFileSync } from 'node:fs';
import { startBenchServers } from '@switchboard/testkit/bench';
import { MIN_ROUNDS, describeMachine } from '../../../tools/bench/abba.js';
import { forkBenchChild } from './child-ipc.js';
import { percentile, startWatchers, type WatchResult } from './watchers.js';

const quick = process.env.BENCH_QUICK === '1';
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? (quick ? 50 : 500));
const RUNS = Number(process.env.BENCH_RUNS ?? (quick ? 10 : 50));
/** Fewer than MIN_ROUNDS (BENCH_ROUNDS=1) is a check that the configuration runs through, not a measurement. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? MIN_ROUNDS));
const TARGET = 1.3;
/** BENCH_SAME_PROCESS=0 leaves out the baseline inside the subject process. */
const SAME_PROCESS = process.env.BENCH_SAME_PROCESS !== '0';
/** BENCH_IDLE_BASELINE=0 leaves out the baseline on an idle machine. */
const IDLE_BASELINE = process.env.BENCH_IDLE_BASELINE !== '0';

interface Sample {
  p50: number;
  p99: number;
  eventsPerSecond: number;
  rssMb: number;
  deliveries: number;
}

const machine = describeMachine();
const verbose = process.env.BENCH_VERBOSE === '1';
const progress = (text: string) => {
  if (verbose) process.stderr.write(`${new Date().toISOString()} ${text}\n`);
};
const models = await startBenchServers();
await models.setScript('three-tool-calls', { paceMs: 5 });
// BENCH_CPU_PROF=<dir>: the subject writes a V8 CPU profile of each measured subject round's runs there.
const profileDir = process.env.BENCH_CPU_PROF;
const subject = await forkBenchChild(new URL('./subject-server.ts', import.meta.url), {
  MODEL_URL: models.modelBaseUrl,
  ...(profileDir ? { BENCH_CPU_PROF: profileDir } : {}),
});
const baseline = await forkBenchChild(new URL('./baseline-server.ts', import.meta.url));
const sameProcessUrl = await subject.ask<string>({ type: 'same-process-url' });

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${subject.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; runId: string };
};
const sessions: string[] = [];
for (let index = 0; index < RUNS; index++) sessions.push((await post('/api/sessions', {})).id);
const watched = sessions[0]!;

const summarize = (result: WatchResult, rss: number): Sample => ({
  p50: percentile(result.latencies, 50),
  p99: percentile(result.latencies, 99),
  eventsPerSecond: result.deliveries / (Math.max(1, result.spanMs) / 1000),
  rssMb: rss / 1024 / 1024,
  deliveries: result.deliveries,
});

/** How long a round may wait for its watchers to open, then to see the end (BENCH_PHASE_TIMEOUT_MS). */
const PHASE_TIMEOUT_MS = Number(process.env.BENCH_PHASE_TIMEOUT_MS ?? 300_000);

/**
 * Waits for a phase of a round (`watchers.opened` or `watchers.done`); with
 * BENCH_VERBOSE it says every 5 s how many watchers have opened, finished or
 * failed. Past PHASE_TIMEOUT_MS it throws with those counts instead of
 * waiting forever.
 */
async function phase<T>(
  name: string,
  watchers: ReturnType<typeof startWatchers>,
  waited: Promise<T>,
): Promise<T> {
  const started = Date.now();
  const counts = () => {
    const { opened, finished, failed } = watchers.progress();
    return `${opened}/${WATCHERS} opened, ${finished} finished, ${failed} failed`;
  };
  const timer = setInterval(() => progress(`${name}: ${counts()}`), 5_000);
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    deadline = setTimeout(
      () => reject(new Error(`${name}: not done after ${PHASE_TIMEOUT_MS} ms (${counts()})`)),
      PHASE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([waited, timedOut]);
  } finally {
    clearInterval(timer);
    clearTimeout(deadline);
    progress(`${name}: ${Date.now() - started} ms (${counts()})`);
  }
}

/** The subject process's event-loop delay (ms) and CPU time over one round, from the runs' start until all are idle. */
interface LoopStats {
  p50: number;
  p99: number;
  max: number;
  cpuMs: number;
  /** Log appends (one transaction each with SQLite) and events appended. */
  appends: number;
  appendedEvents: number;
}
const loopStats: Record<'subject' | 'same-process', LoopStats[]> = {
  subject: [],
  'same-process': [],
};

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux; 0 elsewhere). */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** Past the warm-up: BENCH_CPU_PROF profiles these rounds only. */
let measuredRounds = false;

let recorded: Array<{ event: Record<string, unknown>; gapMs: number }> = [];

/**
 * One round against the subject's process: the watchers open on `url`, then
 * the R runs start at once; it ends when the watched run has ended at every
 * watcher. `record` keeps the watched run's events for the baseline to play.
 */
async function liveRound(side: 'subject' | 'same-process', record: boolean): Promise<Sample> {
  let url = `${sameProcessUrl}/events/${watched}`;
  if (side === 'subject') {
    const response = await fetch(`${subject.url}/api/sessions/${watched}`);
    const view = (await response.json()) as { headSeq: number };
    url = `${subject.url}/api/sessions/${watched}/events?after=${view.headSeq}`;
  }
  const watchers = startWatchers(url, WATCHERS);
  await phase(`${side}: opening`, watchers, watchers.opened);
  await subject.ask({ type: 'loop' }); // resets the subject's loop-delay histogram and CPU clock
  const modelCpuBefore = processCpuMs(models.pid);
  const driverCpuBefore = process.cpuUsage();
  const profiling = profileDir !== undefined && side === 'subject' && measuredRounds;
  if (profiling) await subject.ask({ type: 'profile-start' });
  await Promise.all(startRuns());
  const result = await phase(`${side}: the watched run`, watchers, watchers.done);
  if (verbose) progress(`${side}: slowest events ${slowest(result)}`);
  const failed = result.events.filter((event) => event.type === 'run.failed');
  if (failed.length > 0) throw new Error(`the watched run failed: ${JSON.stringify(failed[0])}`);
  progress(`${side}: watched run ended, waiting for the others`);
  await subject.ask({ type: 'runs-ended', ids: sessions });
  if (profiling) {
    const file = await subject.ask<string>({ type: 'profile-stop', name: `subject-${Date.now()}` });
    progress(`${side}: CPU profile ${file}`);
  }
  const loop = await subject.ask<LoopStats>({ type: 'loop' });
  loopStats[side].push(loop);
  const driverCpu = process.cpuUsage(driverCpuBefore);
  progress(
    `${side}: subject event-loop delay p50 ${loop.p50.toFixed(1)} / p99 ${loop.p99.toFixed(1)} / max ${loop.max.toFixed(1)} ms; CPU per run: subject ${(loop.cpuMs / RUNS).toFixed(1)} ms, model server ${((processCpuMs(models.pid) - modelCpuBefore) / RUNS).toFixed(1)} ms, watchers ${((driverCpu.user + driverCpu.system) / 1000 / RUNS).toFixed(1)} ms; log appends per run ${(loop.appends / RUNS).toFixed(1)} (${(loop.appendedEvents / RUNS).toFixed(1)} events)`,
  );
  await subject.ask({ type: 'idle', ids: sessions });
  if (record) {
    recorded = result.events.map((event, index, all) => ({
      event,
      gapMs: index === 0 ? 0 : Number(event.ts) - Number(all[index - 1]!.ts),
    }));
  }
  return summarize(result, await subject.ask<number>({ type: 'rss' }));
}

/** The five events with the highest mean latency over the watchers: place in the stream, type, mean / max ms. */
function slowest(result: WatchResult): string {
  return result.byEvent
    .map((slot, index) => ({ index, mean: slot.sum / slot.count, max: slot.max }))
    .sort((a, b) => b.mean - a.mean)
    .slice(0, 5)
    .map(
      ({ index, mean, max }) =>
        `#${index} ${String(result.events[index]?.type)} ${mean.toFixed(0)}/${max}`,
    )
    .join(', ');
}

/** POSTs the round's R runs at once (the watched session's first); one promise per run. */
function startRuns(): Array<Promise<unknown>> {
  return sessions.map((id) => post(`/api/sessions/${id}/runs`, { input: 'Add 1+2, 3+4 and 5+6.' }));
}

/**
 * The bare endpoint replays the recorded frames to its watchers. `loaded`:
 * while the subject runs the same R runs (no watchers on it), starting when
 * the watched session's run has started, as the subject's frames do.
 */
async function baselineRound(loaded: boolean): Promise<Sample> {
  const name = loaded ? 'loaded baseline' : 'idle baseline';
  const watchers = startWatchers(`${baseline.url}/events`, WATCHERS);
  await phase(`${name}: opening`, watchers, watchers.opened);
  const runs = loaded ? startRuns() : [];
  await runs[0];
  await baseline.ask({ type: 'play', events: recorded });
  const result = await phase(`${name}: playing`, watchers, watchers.done);
  if (verbose) progress(`${name}: slowest events ${slowest(result)}`);
  if (loaded) {
    await Promise.all(runs);
    await subject.ask({ type: 'runs-ended', ids: sessions });
    await subject.ask({ type: 'idle', ids: sessions });
  }
  return summarize(result, await baseline.ask<number>({ type: 'rss' }));
}

type Side = 'subject' | 'loaded' | 'idle' | 'same-process';
const included = (side: Side) =>
  (side !== 'same-process' || SAME_PROCESS) && (side !== 'idle' || IDLE_BASELINE);
const measure = (side: Side): Promise<Sample> =>
  side === 'loaded' || side === 'idle'
    ? baselineRound(side === 'loaded')
    : liveRound(side, side === 'subject');

// Warm-up (unmeasured): the subject first, so the baselines have frames to play.
for (const side of ['subject', 'loaded', 'idle', 'same-process'] as const)
  if (included(side)) await measure(side);
measuredRounds = true;
loopStats.subject.length = 0;
loopStats['same-process'].length = 0;
const rounds: Array<Record<Side, Sample | undefined>> = [];
for (let round = 0; round < ROUNDS; round++) {
  // The subject in the middle; each baseline before it in one round, after it in the next (ABBA).
  const order: Side[] =
    round % 2 === 0
      ? ['idle', 'loaded', 'subject', 'same-process']
      : ['same-process', 'subject', 'loaded', 'idle'];
  const samples: Record<Side, Sample | undefined> = {
    subject: undefined,
    loaded: undefined,
    idle: undefined,
    'same-process': undefined,
  };
  for (const side of order) if (included(side)) samples[side] = await measure(side);
  rounds.push(samples);
  process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
}
await subject.close();
await baseline.close();
await models.close();

const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
};
const fmt = (value: number, digits = 1) => value.toFixed(digits);
const triple = (s: { min: number; median: number; max: number }, digits = 2) =>
  `${fmt(s.min, digits)} / **${fmt(s.median, digits)}** / ${fmt(s.max, digits)}`;
const of = (side: Side, key: keyof Sample) => spread(rounds.map((round) => round[side]![key]));
// A latency of 0 ms (same millisecond) would make a ratio infinite: floor both at 1 ms.
const ratio = (versus: Side, key: 'p50' | 'p99') =>
  spread(
    rounds.map((round) => Math.max(1, round.subject![key]) / Math.max(1, round[versus]![key])),
  );

const table = (versus: Side, label: string) => {
  const p99 = ratio(versus, 'p99');
  return {
    p99,
    lines: [
      `| measure | subject: webui-server (min / **median** / max) | ${label} (min / **median** / max) | paired ratio (min / **median** / max) |`,
      '| --- | ---: | ---: | ---: |',
      `| delivery latency p50 (ms) | ${triple(of('subject', 'p50'), 0)} | ${triple(of(versus, 'p50'), 0)} | ${triple(ratio(versus, 'p50'))} |`,
      `| delivery latency p99 (ms) | ${triple(of('subject', 'p99'), 0)} | ${triple(of(versus, 'p99'), 0)} | ${triple(p99)} |`,
      `| events delivered per second | ${triple(of('subject', 'eventsPerSecond'), 0)} | ${triple(of(versus, 'eventsPerSecond'), 0)} | |`,
      `| server RSS after the round (MB) | ${triple(of('subject', 'rssMb'), 0)} | ${triple(of(versus, 'rssMb'), 0)} | |`,
      '',
    ],
  };
};
const verdict = (value: number) => `**${value <= TARGET ? 'met' : 'MISSED'}** (${fmt(value, 2)})`;

const judged = table('loaded', 'baseline: bare Fastify SSE, own process, same runs going');
const lines = [
  `\n## @switchboard/webui-server (SSE fan-out)\n`,
  `Machine: ${machine}\n`,
  `${WATCHERS} watchers of one session, ${RUNS} concurrent runs, ${ROUNDS} paired rounds (ABBA), ${rounds[0]!.subject!.deliveries} deliveries per round; the subject's event log and session store ${process.env.BENCH_STORES === 'sqlite' ? 'in SQLite (BENCH_STORES=sqlite)' : 'in memory'}.\n`,
  ...(ROUNDS < MIN_ROUNDS
    ? [
        `**Only ${ROUNDS} round(s) (fewer than ${MIN_ROUNDS}): a check that it runs, not a measurement.**\n`,
      ]
    : []),
  "Against the issue's baseline, a bare Fastify SSE endpoint in a process of its own replaying the frames, while the subject runs the same runs (without watchers), so the machine is as busy as in a subject round:\n",
  ...judged.lines,
  `Target (median paired p99 ratio ≤ ${TARGET}, this table): ${verdict(judged.p99.median)}.`,
];
if (IDLE_BASELINE) {
  const idle = table('idle', 'bare Fastify SSE, own process, idle machine');
  const load = spread(
    rounds.map((round) => Math.max(1, round.loaded!.p99) / Math.max(1, round.idle!.p99)),
  );
  lines.push(
    '',
    'Against the same bare endpoint replaying on an idle machine (no runs going; reported, not judged):\n',
    ...idle.lines,
    `Median paired p99 ratio against it: ${fmt(idle.p99.median, 2)}. The bare endpoint's own p99 with the runs going on the machine over its p99 on the idle machine: ${triple(load)} (what the runs' load costs any server on this machine).`,
  );
}
if (SAME_PROCESS) {
  const same = table('same-process', 'bare Fastify SSE in the subject process, same bus and runs');
  lines.push(
    '',
    'Against a bare endpoint inside the subject process, fed by the same bus while the same runs go on (the SSE path alone, sharing the event loop as the subject does; the RSS is of that same process; reported, not judged):\n',
    ...same.lines,
    `Median paired p99 ratio against it: ${fmt(same.p99.median, 2)}.`,
  );
}
const loopLine = (side: 'subject' | 'same-process') => {
  const stats = loopStats[side];
  if (stats.length === 0) return [];
  const p99 = spread(stats.map((s) => s.p99));
  const max = spread(stats.map((s) => s.max));
  const cpu = spread(stats.map((s) => s.cpuMs / RUNS));
  return [`| ${side} rounds | ${triple(p99, 1)} | ${triple(max, 1)} | ${triple(cpu, 1)} |`];
};
lines.push(
  '',
  'The subject process during the runs (from their start until every session is idle): event-loop delay (`monitorEventLoopDelay`) and CPU time (user + system) per run:\n',
  '| rounds | loop delay p99 (ms) | loop delay max (ms) | CPU per run (ms) |',
  '| --- | ---: | ---: | ---: |',
  ...loopLine('subject'),
  ...loopLine('same-process'),
);
console.log(lines.join('\n'));
if (judged.p99.median > TARGET) process.exitCode = 1;
