/** The outcome of one check: `ok`, a `problem` (with its fix) or `info` (nothing needed). */
export interface CheckResult {
  name: string;
  status: 'ok' | 'problem' | 'info';
  detail: string;
  /** What to do about a problem. */
  fix?: string;
}

/** Builds a check's result: `check.ok(…)`, `check.problem(…, fix)` or `check.info(…)`. */
export const check = {
  ok: (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail }),
  problem: (name: string, detail: string, fix: string): CheckResult => ({
    name,
    status: 'problem',
    detail,
    fix,
  }),
  info: (name: string, detail: string): CheckResult => ({ name, status: 'info', detail }),
};
