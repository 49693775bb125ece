/**
 * SSE fan-out bench: W watchers of one session's event stream while R runs
 * go at once (one in the watched session, the others in their own sessions),
 * against the testkit's bench model server (three parallel tool calls, then
 * an answer, 5 ms between chunks) in a separate process; the webui server is
 * in a process of its own too. Baseline, in the same run: a bare Fastify SSE
 * endpoint (its own process) writing the same frames (the watched run's
 * events, re-stamped) to the same number of watchers, with the same gaps.
 *
 *   pnpm nx run @switchboard/webui-server:bench            # 500 watchers, 50 runs, 15 rounds
 *   BENCH_QUICK=1 pnpm nx run @switchboard/webui-server:bench   # 50 watchers, 10 runs
 *
 * Per round and side: delivery latency p50/p99 (arrival at the watcher −
 * the event's `ts`, stamped by the server when the event was made), events
 * delivered per second, and the server's RSS after the round. Rounds are
 * paired in ABBA order; target: median of the paired p99 ratio ≤ 1.3.
 */
import { startBenchServers } from '@switchboard/testkit/bench';
import { MIN_ROUNDS, describeMachine } from '../../../tools/bench/abba.js';
import { forkBenchChild } from './child-ipc.js';
import { percentile, startWatchers, type WatchResult } from './watchers.js';

const quick = process.env.BENCH_QUICK === '1';
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? (quick ? 50 : 500));
const RUNS = Number(process.env.BENCH_RUNS ?? (quick ? 10 : 50));
const ROUNDS = Math.max(MIN_ROUNDS, Number(process.env.BENCH_ROUNDS ?? MIN_ROUNDS));
const TARGET = 1.3;

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
// BENCH_CPU_PROF=<dir>: the subject server writes a V8 CPU profile there when it exits.
const profileDir = process.env.BENCH_CPU_PROF;
const subject = await forkBenchChild(
  new URL('./subject-server.ts', import.meta.url),
  { MODEL_URL: models.modelBaseUrl },
  profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
);
const baseline = await forkBenchChild(new URL('./baseline-server.ts', import.meta.url));

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

let recorded: Array<{ event: Record<string, unknown>; gapMs: number }> = [];

async function subjectRound(): Promise<Sample> {
  const view = (await (await fetch(`${subject.url}/api/sessions/${watched}`)).json()) as {
    headSeq: number;
  };
  const watchers = startWatchers(
    `${subject.url}/api/sessions/${watched}/events?after=${view.headSeq}`,
    WATCHERS,
  );
  await watchers.opened;
  await Promise.all(
    sessions.map((id) => post(`/api/sessions/${id}/runs`, { input: 'Add 1+2, 3+4 and 5+6.' })),
  );
  const result = await watchers.done;
  const failed = result.events.filter((event) => event.type === 'run.failed');
  if (failed.length > 0) throw new Error(`the watched run failed: ${JSON.stringify(failed[0])}`);
  progress('subject: watched run ended, waiting for the others');
  await subject.ask({ type: 'idle', ids: sessions });
  recorded = result.events.map((event, index, all) => ({
    event,
    gapMs: index === 0 ? 0 : Number(event.ts) - Number(all[index - 1]!.ts),
  }));
  return summarize(result, await subject.ask<number>({ type: 'rss' }));
}

async function baselineRound(): Promise<Sample> {
  const watchers = startWatchers(`${baseline.url}/events`, WATCHERS);
  await watchers.opened;
  await baseline.ask({ type: 'play', events: recorded });
  const result = await watchers.done;
  return summarize(result, await baseline.ask<number>({ type: 'rss' }));
}

// Warm-up (unmeasured): the subject first, so the baseline has frames to play.
await subjectRound();
await baselineRound();
const pairs: Array<{ subject: Sample; baseline: Sample }> = [];
for (let round = 0; round < ROUNDS; round++) {
  if (round % 2 === 0) {
    const b = await baselineRound();
    pairs.push({ baseline: b, subject: await subjectRound() });
  } else {
    const s = await subjectRound();
    pairs.push({ subject: s, baseline: await baselineRound() });
  }
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
const of = (side: 'subject' | 'baseline', key: keyof Sample) =>
  spread(pairs.map((pair) => pair[side][key]));
// A latency of 0 ms (same millisecond) would make a ratio infinite: floor both at 1 ms.
const ratio = (key: 'p50' | 'p99') =>
  spread(pairs.map((pair) => Math.max(1, pair.subject[key]) / Math.max(1, pair.baseline[key])));
const p99Ratio = ratio('p99');
const pass = p99Ratio.median <= TARGET;

const lines = [
  `\n## @switchboard/webui-server (SSE fan-out)\n`,
  `Machine: ${machine}\n`,
  `${WATCHERS} watchers of one session, ${RUNS} concurrent runs, ${ROUNDS} paired rounds (ABBA), ${pairs[0]!.subject.deliveries} deliveries per round.\n`,
  '| measure | subject: webui-server (min / **median** / max) | baseline: bare Fastify SSE (min / **median** / max) | paired ratio (min / **median** / max) |',
  '| --- | ---: | ---: | ---: |',
  `| delivery latency p50 (ms) | ${triple(of('subject', 'p50'), 0)} | ${triple(of('baseline', 'p50'), 0)} | ${triple(ratio('p50'))} |`,
  `| delivery latency p99 (ms) | ${triple(of('subject', 'p99'), 0)} | ${triple(of('baseline', 'p99'), 0)} | ${triple(p99Ratio)} |`,
  `| events delivered per second | ${triple(of('subject', 'eventsPerSecond'), 0)} | ${triple(of('baseline', 'eventsPerSecond'), 0)} | |`,
  `| server RSS after the round (MB) | ${triple(of('subject', 'rssMb'), 0)} | ${triple(of('baseline', 'rssMb'), 0)} | |`,
  '',
  `Target: median paired p99 ratio ≤ ${TARGET}: **${pass ? 'met' : 'MISSED'}** (${fmt(p99Ratio.median, 2)}).`,
];
console.log(lines.join('\n'));
if (!pass) process.exitCode = 1;
