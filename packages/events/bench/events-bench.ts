// `pnpm bench` for @switchboard/events: each case is measured against a
// baseline run in the same process (plain JSON.stringify + buffered appendFile
// of the same events), and printed as a Markdown table for BENCHMARKS.md.
import os from 'node:os';
import { printTable, type BenchResult } from './bench-utils.js';
import { runJsonlBench } from './jsonl-bench.js';
import { runSqliteBench } from './sqlite-bench.js';

const results: BenchResult[] = [...(await runJsonlBench()), ...(await runSqliteBench())];
console.log(
  `\n@switchboard/events bench: node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}\n`,
);
printTable(results);
const failed = results.filter((result) => !result.pass);
if (failed.length > 0) {
  console.log(
    `\n${failed.length} case(s) missed their target: ${failed.map((r) => r.name).join(', ')}`,
  );
  process.exitCode = 1;
}
