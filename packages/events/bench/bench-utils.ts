import { performance } from 'node:perf_hooks';

/** One measured case: `subject` against `baseline`, both run in the same process. */
export interface BenchResult {
  name: string;
  subject: string;
  baseline: string;
  events: number;
  subjectEventsPerSec: number;
  baselineEventsPerSec: number;
  /** subject time / baseline time (lower is better; 1.0 = same speed). */
  ratio: number;
  /** Extra microseconds per event the subject costs over the baseline. */
  overheadUsPerEvent: number;
  /** Free-form target, e.g. "ratio <= 1.5". */
  target: string;
  pass: boolean;
}

/** Runs `fn` `rounds` times and returns the median duration in ms (after one warm-up). */
export async function medianMs(fn: () => Promise<void> | void, rounds = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Measures subject and baseline alternately (ABAB…) so drift in machine load
 * hits both, and builds the result row.
 */
export async function compare(options: {
  name: string;
  subject: string;
  baseline: string;
  events: number;
  runSubject: () => Promise<void> | void;
  runBaseline: () => Promise<void> | void;
  target: string;
  passes: (result: Pick<BenchResult, 'ratio' | 'subjectEventsPerSec'>) => boolean;
  rounds?: number;
}): Promise<BenchResult> {
  const rounds = options.rounds ?? 5;
  await options.runBaseline();
  await options.runSubject();
  const subjectTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    await options.runBaseline();
    baselineTimes.push(performance.now() - start);
    start = performance.now();
    await options.runSubject();
    subjectTimes.push(performance.now() - start);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const subjectMs = median(subjectTimes);
  const baselineMs = median(baselineTimes);
  const ratio = subjectMs / baselineMs;
  const subjectEventsPerSec = (options.events / subjectMs) * 1000;
  const result = {
    name: options.name,
    subject: options.subject,
    baseline: options.baseline,
    events: options.events,
    subjectEventsPerSec,
    baselineEventsPerSec: (options.events / baselineMs) * 1000,
    ratio,
    overheadUsPerEvent: ((subjectMs - baselineMs) * 1000) / options.events,
    target: options.target,
    pass: false,
  };
  result.pass = options.passes(result);
  return result;
}

/** Prints results as a Markdown table (pasted into BENCHMARKS.md). */
export function printTable(results: readonly BenchResult[]): void {
  const rows = [
    '| case | subject | baseline | events | subject ev/s | baseline ev/s | ratio | overhead µs/ev | target | ok |',
    '|---|---|---|---:|---:|---:|---:|---:|---|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.subject} | ${r.baseline} | ${r.events} | ${Math.round(r.subjectEventsPerSec).toLocaleString('en-US')} | ${Math.round(r.baselineEventsPerSec).toLocaleString('en-US')} | ${r.ratio.toFixed(2)}x | ${r.overheadUsPerEvent.toFixed(2)} | ${r.target} | ${r.pass ? 'yes' : 'NO'} |`,
    ),
  ];
  console.log(rows.join('\n'));
}
