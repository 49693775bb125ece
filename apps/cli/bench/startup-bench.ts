/**
 * CLI startup bench: `switchboard --help` (the built binary, as users run it)
 * against a bare `node -e ''`, each a fresh process, in ABBA rounds
 * (tools/bench/abba.js). Target: the median paired wall-time ratio ≤ 2.
 *
 *   pnpm nx run @switchboard/cli:bench
 *
 * Both sides spawn the same Node binary with the same environment and wait for
 * it to exit, output discarded. The CPU columns count the bench process only
 * (spawning and waiting), not the child: read the wall-time ratio.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describeMachine, measureAbba, report } from '../../../tools/bench/abba.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);

function spawnNode(args: string[]): void {
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
}

const machine = describeMachine();
const result = await measureAbba({
  name: '`switchboard --help` vs `node -e ""`, one process each',
  rounds,
  warmupRounds: 2,
  baseline: { label: "a fresh `node -e ''` process", run: () => spawnNode(['-e', '']) },
  subject: {
    label: 'a fresh `node apps/cli/dist/bin.js --help` process',
    run: () => spawnNode([bin, '--help']),
  },
  units: { count: 1, name: 'start' },
  target: { text: 'median ratio ≤ 2', maxRatio: 2 },
});
report('@switchboard/cli startup', [result], {
  machine,
  notes: [
    'CPU columns are the bench process only (spawn and wait); the child processes are not counted.',
  ],
});
