// Types of abba.js (kept by hand; the module is plain JavaScript so that every
// package's bench can import it, see the comment at the top of abba.js).

/** Fewer rounds than this are refused. */
export declare const MIN_ROUNDS: number;

/** One side of a comparison: what one sample runs. */
export interface AbbaSide {
  /** What this side does, in words (printed under the table). */
  label: string;
  /** One sample's work; timed from call to settle. */
  run: () => unknown;
  /** Untimed set-up before each sample (e.g. creating the file it writes to). */
  before?: () => unknown;
  /** Untimed clean-up after each sample (checks, deleting its files). */
  after?: () => unknown;
}

/** Units of work in one sample, for per-unit CPU numbers (µs per event, per turn, per span). */
export interface AbbaUnits {
  count: number;
  name: string;
}

/** A target on the median paired ratio (wall time unless `on: 'cpu'`). */
export interface AbbaTarget {
  text: string;
  maxRatio?: number;
  on?: 'wall' | 'cpu';
}

export interface AbbaCase {
  name: string;
  baseline: AbbaSide;
  subject: AbbaSide;
  /** Paired rounds; at least {@link MIN_ROUNDS}. @default MIN_ROUNDS */
  rounds?: number;
  /** Unmeasured rounds first (JIT, caches, sockets). @default 1 */
  warmupRounds?: number;
  units?: AbbaUnits;
  /** Without `maxRatio` the case is informational. */
  target?: AbbaTarget;
  /** Called after each measured round (progress output). */
  onRound?: (round: number) => void;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface AbbaSideStats {
  label: string;
  wallMs: Spread;
  cpuMs: Spread;
}

export interface AbbaResult {
  name: string;
  rounds: number;
  units: AbbaUnits | undefined;
  baseline: AbbaSideStats;
  subject: AbbaSideStats;
  /** subject / baseline wall time, per round. */
  ratio: Spread;
  /** subject / baseline CPU time, per round. */
  cpuRatio: Spread;
  /** subject − baseline, per round (ms): what the subject costs on top of the baseline. */
  difference: { wallMs: Spread; cpuMs: Spread };
  target: AbbaTarget | undefined;
  pass: boolean;
}

export declare function measureAbba(options: AbbaCase): Promise<AbbaResult>;
export declare function cpuPerUnitUs(
  result: AbbaResult,
  which: 'subject' | 'baseline',
): number | undefined;
export declare function formatTable(results: readonly AbbaResult[]): string;
export declare function describeMachine(): string;
export declare function report(
  title: string,
  results: readonly AbbaResult[],
  context: { machine: string; notes?: readonly string[] },
): void;
