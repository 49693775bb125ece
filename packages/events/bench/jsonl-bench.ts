// bus → JsonlSink against the plainest way to write the same events:
// JSON.stringify each and append 64 KiB chunks with fs.promises.appendFile.
import { mkdtempSync, rmSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBus } from '../src/bus/event-bus.js';
import { JsonlSink } from '../src/node/jsonl/jsonl-sink.js';
import type { EventDraft } from '../src/index.js';
import { compare, printTable, type BenchResult } from './bench-utils.js';

const EVENTS = 100_000;
/** Events arrive in bursts (a model stream delivers chunks tick by tick), on both sides. */
const BURST = 500;
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A realistic mix: mostly text deltas, some tool-call lifecycle events. */
export function buildDrafts(count = EVENTS, sessionId = 'ses_bench'): EventDraft[] {
  const drafts: EventDraft[] = [];
  for (let index = 0; index < count; index++) {
    const runId = `run_${Math.floor(index / 1000)}`;
    if (index % 10 === 9) {
      drafts.push({
        type: 'tool_call.completed',
        sessionId,
        runId,
        data: {
          toolCallId: `call_${index}`,
          status: 'completed',
          output: { hits: index % 7, path: `/src/file-${index}.ts` },
          durationMs: 12,
        },
      });
    } else {
      drafts.push({
        type: 'message.delta',
        sessionId,
        runId,
        data: { messageId: `msg_${runId}`, delta: `token ${index} of the answer ` },
      });
    }
  }
  return drafts;
}

export async function runJsonlBench(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jsonl-bench-'));
  const drafts = buildDrafts();
  let round = 0;
  try {
    const result = await compare({
      name: 'bus → JsonlSink',
      subject: 'EventBus.emit + JsonlSink (buffered, ordered)',
      baseline: 'hand-rolled seq/ts stamping + JSON.stringify + appendFile (64 KiB chunks)',
      events: EVENTS,
      target: 'ratio ≤ 1.5',
      passes: (r) => r.ratio <= 1.5,
      runSubject: async () => {
        const sink = await JsonlSink.open(path.join(dir, `subject-${++round}.jsonl`));
        const bus = new EventBus({ sinks: [sink] });
        for (let index = 0; index < drafts.length; index++) {
          bus.emit(drafts[index]!);
          if (index % BURST === BURST - 1) await nextTick();
        }
        await bus.flush();
        await sink.close();
      },
      runBaseline: async () => {
        const file = path.join(dir, `baseline-${++round}.jsonl`);
        // What a user writes without the library: number the events, serialise, append.
        let chunk = '';
        let seq = 0;
        for (let index = 0; index < drafts.length; index++) {
          if (index % BURST === BURST - 1) await nextTick();
          const event = { v: 1, ...drafts[index]!, seq: ++seq, ts: Date.now() };
          chunk += `${JSON.stringify(event)}\n`;
          if (chunk.length >= 64 * 1024) {
            await appendFile(file, chunk);
            chunk = '';
          }
        }
        if (chunk) await appendFile(file, chunk);
      },
    });
    return [result];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printTable(await runJsonlBench());
