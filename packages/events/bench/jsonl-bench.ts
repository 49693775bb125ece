// bus → JsonlSink against a JSONL writer doing the same work by hand: number
// the events, serialise each with a trailing "\n", buffer 64 KiB chunks (and
// write at run boundaries), append them through one held file handle with one
// write in flight at a time, no fsync (the sink's defaults). Both producers
// wait for the pipeline to drain every DRAIN_EVERY events.
// Standalone: `npx tsx bench/jsonl-bench.ts` from packages/events.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventBus } from '../src/index.js';
import { JsonlSink } from '../src/node.js';
// eslint-disable-next-line switchboard/dependency-direction -- the shared bench helper belongs to no package (see its header)
import {
  describeMachine,
  measureAbba,
  report,
  type AbbaResult,
} from '../../../tools/bench/abba.js';
import { BOUNDARY_TYPES, draftAt, handStamper, nextTick } from './drafts.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
/** Events per event-loop tick, on both sides. */
const BURST = 500;
const CHUNK_CHARS = 64 * 1024;
/**
 * Events after which the producer waits until everything so far is written,
 * on both sides. The sink applies backpressure (`maxBufferedBytes`) into the
 * bus's bounded queue (10,000 events by default), so a producer that never
 * waits would overflow it, as it should; a real producer is paced by a model.
 */
const DRAIN_EVERY = 5_000;

/** The same work without the library, through a held handle. */
async function writeByHand(file: string): Promise<void> {
  const handle = await open(file, 'a');
  const stamp = handStamper();
  let chain = Promise.resolve();
  // Like the sink: the producer never waits for the disk; writes queue one after another.
  const write = (text: string) => {
    chain = chain.then(async () => {
      await handle.write(text);
    });
  };
  let pending = '';
  for (let index = 0; index < EVENTS; index++) {
    const event = stamp(draftAt(index));
    pending += `${JSON.stringify(event)}\n`;
    if (pending.length >= CHUNK_CHARS || BOUNDARY_TYPES.has(event.type)) {
      write(pending);
      pending = '';
    }
    if (index % BURST === BURST - 1) await nextTick();
    if (index % DRAIN_EVERY === DRAIN_EVERY - 1) {
      // As `bus.flush()` does: the buffered chunk goes out too.
      if (pending) write(pending);
      pending = '';
      await chain;
    }
  }
  if (pending) write(pending);
  await chain;
  await handle.close();
}

async function writeThroughBus(file: string): Promise<void> {
  const errors: unknown[] = [];
  const sink = await JsonlSink.open(file, { onError: (error) => errors.push(error) });
  const bus = new EventBus({ sinks: [sink], onError: (error) => errors.push(error) });
  for (let index = 0; index < EVENTS; index++) {
    bus.emit(draftAt(index));
    if (index % BURST === BURST - 1) await nextTick();
    if (index % DRAIN_EVERY === DRAIN_EVERY - 1) await bus.flush();
  }
  await bus.flush();
  await sink.close();
  if (errors.length > 0) throw errors[0];
}

/** Bytes in every file of a directory (the sink rotates at 100 MiB). */
const bytesIn = (dir: string) =>
  readdirSync(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);

export async function runJsonlBench(): Promise<AbbaResult[]> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'jsonl-bench-'));
  let round = 0;
  let expectedBytes: number | undefined;
  const side = (label: string, write: (file: string) => Promise<void>) => {
    let dir = '';
    return {
      label,
      before: () => {
        dir = path.join(root, `round-${++round}`);
        mkdirSync(dir);
      },
      run: () => write(path.join(dir, 'events.jsonl')),
      after: () => {
        // Both sides must have written the very same bytes.
        const bytes = bytesIn(dir);
        expectedBytes ??= bytes;
        if (bytes !== expectedBytes)
          throw new Error(`${label}: wrote ${bytes} bytes, expected ${expectedBytes}`);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  try {
    const result = await measureAbba({
      name: `bus → JsonlSink, ${EVENTS.toLocaleString('en-US')} events`,
      subject: side(
        '`EventBus.emit` + `JsonlSink` (defaults: 64 KiB buffer, no fsync)',
        writeThroughBus,
      ),
      baseline: side(
        'hand-stamped `seq`/`ts`, `JSON.stringify` + `"\\n"`, 64 KiB chunks and run boundaries written through one held `FileHandle`, one write in flight',
        writeByHand,
      ),
      units: { count: EVENTS, name: 'event' },
      target: { text: 'median ratio ≤ 1.5', maxRatio: 1.5 },
      onRound: (index) => process.stderr.write(`jsonl round ${index + 1}\n`),
    });
    return [result];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  report('@switchboard/events: JSONL', await runJsonlBench(), { machine: describeMachine() });
}
