// Shared by every package's `pnpm bench`: paired A/B measurement in ABBA order,
// its statistics and the Markdown tables pasted into BENCHMARKS.md.
//
// A plain module on purpose (JavaScript with a hand-written abba.d.ts): the
// events bench cannot depend on @switchboard/testkit (testkit depends on
// events), and a .ts file outside a package would fall outside that package's
// `rootDir`. It uses Node built-ins only.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

/** Fewer rounds than this and min/median/max of a paired ratio say little on a shared machine. */
export const MIN_ROUNDS = 15;

v8.setFlagsFromString('--expose-gc');
/** A full GC between samples, so one side's garbage is not collected on the other side's clock. */
const collectGarbage = /** @type {() => void} */ (vm.runInNewContext('gc'));

/** @param {number[]} values */
function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

/** @param {import('./abba.js').AbbaSide} side */
async function sample(side) {
  await side.before?.();
  collectGarbage();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await side.run();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  await side.after?.();
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * Measures `subject` against `baseline` in one process: warm-up rounds
 * first, then `rounds` paired rounds in ABBA order (baseline then subject,
 * subject then baseline, …), so load drift and ordering effects (GC debt,
 * caches, the disk's write-back) hit both sides alike. Each round yields one
 * ratio subject/baseline of wall time and one of CPU time (user + system of
 * this process, so work in servers run as child processes is not counted),
 * and the difference subject − baseline of each.
 *
 * @param {import('./abba.js').AbbaCase} options
 * @returns {Promise<import('./abba.js').AbbaResult>}
 */
export async function measureAbba(options) {
  const rounds = options.rounds ?? MIN_ROUNDS;
  if (rounds < MIN_ROUNDS) throw new Error(`${options.name}: at least ${MIN_ROUNDS} rounds`);
  for (let round = 0; round < (options.warmupRounds ?? 1); round++) {
    await sample(options.baseline);
    await sample(options.subject);
  }
  /** @type {{ wallMs: number, cpuMs: number }[]} */
  const baseline = [];
  /** @type {{ wallMs: number, cpuMs: number }[]} */
  const subject = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      baseline.push(await sample(options.baseline));
      subject.push(await sample(options.subject));
    } else {
      subject.push(await sample(options.subject));
      baseline.push(await sample(options.baseline));
    }
    options.onRound?.(round);
  }
  const side = (/** @type {typeof baseline} */ samples, /** @type {string} */ label) => ({
    label,
    wallMs: spread(samples.map((s) => s.wallMs)),
    cpuMs: spread(samples.map((s) => s.cpuMs)),
  });
  const ratio = spread(subject.map((s, index) => s.wallMs / baseline[index].wallMs));
  const cpuRatio = spread(subject.map((s, index) => s.cpuMs / baseline[index].cpuMs));
  // What the subject costs on top of the baseline, per round: a paired difference
  // is steadier than the difference of two medians.
  const difference = {
    wallMs: spread(subject.map((s, index) => s.wallMs - baseline[index].wallMs)),
    cpuMs: spread(subject.map((s, index) => s.cpuMs - baseline[index].cpuMs)),
  };
  const result = {
    name: options.name,
    rounds,
    units: options.units,
    baseline: side(baseline, options.baseline.label),
    subject: side(subject, options.subject.label),
    ratio,
    cpuRatio,
    difference,
    target: options.target,
    pass: true,
  };
  if (options.target?.maxRatio !== undefined) {
    const measured = options.target.on === 'cpu' ? cpuRatio.median : ratio.median;
    result.pass = measured <= options.target.maxRatio;
  }
  return result;
}

/** @param {number} value */
const fixed = (value, digits = 2) => value.toFixed(digits);
/** @param {number} value */
const grouped = (value) => Math.round(value).toLocaleString('en-US');
/** @param {number} ms */
function duration(ms) {
  if (ms >= 1000) return `${fixed(ms / 1000)} s`;
  if (ms >= 1) return `${fixed(ms)} ms`;
  return `${fixed(ms * 1000, 1)} µs`;
}
/** @param {number} us */
const micro = (us) => (us < 100 ? fixed(us) : grouped(us));
/** @param {{ min: number, median: number, max: number }} r */
const ratioText = (r) => `${fixed(r.min)} / **${fixed(r.median)}** / ${fixed(r.max)}`;

/**
 * Per-unit CPU time of a side (µs per event, per turn, per span): the median
 * CPU time of a sample divided by the units of work in it.
 * @param {import('./abba.js').AbbaResult} result
 * @param {'subject' | 'baseline'} which
 */
export function cpuPerUnitUs(result, which) {
  return result.units ? (result[which].cpuMs.median * 1000) / result.units.count : undefined;
}

/**
 * The result rows as a Markdown table: paired min / median / max of the
 * wall-time ratio, the median wall and CPU time per sample of each side, the
 * CPU ratio, and CPU per unit of work.
 * @param {readonly import('./abba.js').AbbaResult[]} results
 */
export function formatTable(results) {
  const lines = [
    '| case | rounds | ratio min / **median** / max | subject (median) | baseline (median) | CPU subject | CPU baseline | CPU ratio (median) | CPU per unit, subject / baseline | target | ok |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of results) {
    const subjectUs = cpuPerUnitUs(r, 'subject');
    const baselineUs = cpuPerUnitUs(r, 'baseline');
    const perUnit =
      r.units && subjectUs !== undefined && baselineUs !== undefined
        ? `${micro(subjectUs)} / ${micro(baselineUs)} µs per ${r.units.name}`
        : '';
    const gated = r.target?.maxRatio !== undefined;
    lines.push(
      `| ${r.name} | ${r.rounds} | ${ratioText(r.ratio)} | ${duration(r.subject.wallMs.median)} | ${duration(r.baseline.wallMs.median)} | ${duration(r.subject.cpuMs.median)} | ${duration(r.baseline.cpuMs.median)} | ${fixed(r.cpuRatio.median)} | ${perUnit} | ${r.target?.text ?? '(informational)'} | ${gated ? (r.pass ? 'yes' : '**NO**') : '—'} |`,
    );
  }
  return lines.join('\n');
}

/** One line naming the machine and the run, printed above each table. */
export function describeMachine() {
  const cpus = os.cpus();
  return `node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, load average ${os
    .loadavg()
    .map((value) => fixed(value))
    .join(' ')} at start, ${new Date().toISOString()}`;
}

/**
 * Prints a titled results table with the subject/baseline legend, and sets a
 * failing exit code when a gated case missed its target.
 * @param {string} title
 * @param {readonly import('./abba.js').AbbaResult[]} results
 * @param {{ machine: string, notes?: readonly string[] }} context
 */
export function report(title, results, context) {
  const lines = [`\n## ${title}\n`, `Machine: ${context.machine}\n`, formatTable(results), ''];
  for (const r of results) {
    lines.push(`- **${r.name}**: subject = ${r.subject.label}; baseline = ${r.baseline.label}.`);
  }
  for (const note of context.notes ?? []) lines.push(`- ${note}`);
  lines.push(
    '',
    'Ratios are subject/baseline per round (wall time; CPU = user + system time of the bench process, servers excluded), paired in ABBA order; lower is better.',
  );
  console.log(lines.join('\n'));
  const missed = results.filter((r) => !r.pass);
  if (missed.length > 0) {
    console.log(`\nMISSED TARGET: ${missed.map((r) => r.name).join('; ')}`);
    process.exitCode = 1;
  }
}
