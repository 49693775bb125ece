// `pnpm bench` for @switchboard/events: every case against a baseline doing
// the same work without the library, in the same process, 15+ rounds in ABBA
// order (see tools/bench/abba.js). Prints the tables for BENCHMARKS.md.
// `BENCH_EVENTS=100000` runs a quicker, smaller version.
// eslint-disable-next-line switchboard/dependency-direction -- the shared bench helper belongs to no package (see its header)
import { describeMachine, report } from '../../../tools/bench/abba.js';
import { runJsonlBench } from './jsonl-bench.js';
import { runSqliteBench } from './sqlite-bench.js';

const notes = [
  'Event mix: runs of 1,000 events (`run.started`, 90 % `message.delta`, 10 % `tool_call.completed` with a small JSON output, `run.finished`), one session; both sides of every case write the same events (the JSONL case checks the files are byte for byte the same size, the SQLite cases count the rows).',
  'Every sample writes a fresh file in a temp dir; creating the SQLite schema, the checks and deleting the files are outside the clock.',
];
// Each group is printed as soon as it is done.
let machine = describeMachine();
report('@switchboard/events: JSONL', await runJsonlBench(), { machine, notes });
machine = describeMachine();
report('@switchboard/events: SQLite', await runSqliteBench(), { machine, notes });
