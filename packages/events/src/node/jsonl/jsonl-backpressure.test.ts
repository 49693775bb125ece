import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../bus/event-bus.js';
import type { EventsError } from '../../errors/events-error.js';
import { JsonlSink } from './jsonl-sink.js';
import { readJsonlEventArray } from './read-jsonl.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'jsonl-backpressure-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Reads the FIFO 64 KiB at a time, every 20 ms (~3 MB/s at best), copying what it gets to a file. */
const SLOW_READER = `
const fs = require('node:fs');
const [fifo, out] = process.argv.slice(1);
const input = fs.openSync(fifo, 'r');
const output = fs.openSync(out, 'w');
const buffer = Buffer.alloc(64 * 1024);
(function step() {
  const bytes = fs.readSync(input, buffer);
  if (bytes === 0) return fs.closeSync(output);
  fs.writeSync(output, buffer, 0, bytes);
  setTimeout(step, 20);
})();
`;

describe('JsonlSink on a slow disk', () => {
  it('bounds its buffer: past maxBufferedBytes write waits, so the bus queue and its overflow policy take over', async () => {
    const fifo = path.join(root, 'events.jsonl');
    const copy = path.join(root, 'copy', 'events.jsonl');
    execFileSync('mkfifo', [fifo]);
    execFileSync('mkdir', ['-p', path.dirname(copy)]);
    const reader = spawn(process.execPath, ['-e', SLOW_READER, fifo, copy], { stdio: 'inherit' });
    const exited = once(reader, 'exit');
    const maxBufferedBytes = 1024 * 1024;
    const sink = await JsonlSink.open(fifo, { maxBufferedBytes });
    const errors: EventsError[] = [];
    const bus = new EventBus({
      sinks: [sink],
      sinkQueueLimit: 1000,
      onError: (error) => errors.push(error),
    });
    const delta = 'x'.repeat(1000);
    let maxBuffered = 0;
    for (let index = 0; index < 20_000; index++) {
      bus.emit({
        type: 'message.delta',
        sessionId: 's',
        runId: 'r',
        data: { messageId: 'm', delta },
      });
      if (index % 500 === 499) {
        await new Promise((resolve) => setImmediate(resolve));
        maxBuffered = Math.max(maxBuffered, sink.bufferedBytes);
      }
    }
    await bus.flush();
    await sink.close();
    await exited;
    // ~20 MB were offered; the sink never held more than the mark plus one chunk and one event.
    expect(maxBuffered).toBeLessThanOrEqual(maxBufferedBytes + 64 * 1024 + 2048);
    expect(errors.map((error) => error.code)).toContain('EVENTS_SINK_OVERFLOW');
    const written = (await readJsonlEventArray(copy)).map((event) => event.seq);
    // drop-newest keeps a contiguous prefix, then the events after the sink caught up.
    expect(written[0]).toBe(1);
    expect(written.length).toBeGreaterThan(1000);
    expect(written.length).toBeLessThan(20_000);
    for (let index = 1; index < written.length; index++)
      expect(written[index]).toBeGreaterThan(written[index - 1]!);
  });
});
