import { existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnyEvent } from '../../schema/agent-event.js';
import { listJsonlFiles } from './jsonl-files.js';
import { applyJsonlRetention, deleteJsonlSeries } from './jsonl-retention.js';
import { JsonlSink } from './jsonl-sink.js';
import { readJsonlEventArray } from './read-jsonl.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'jsonl-retention-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => path.join(root, `case-${++counter}`, 'events.jsonl');

const event = (seq: number): AnyEvent => ({
  v: 1,
  type: 'message.delta',
  seq,
  ts: 1000 + seq,
  sessionId: 's',
  runId: 'r',
  data: { messageId: 'm', delta: `chunk ${seq} ${'x'.repeat(40)}` },
});
const lineBytes = Buffer.byteLength(`${JSON.stringify(event(10))}\n`);

/** A series of `files` files of two lines each (seq 1…2·files). */
async function series(files: number): Promise<string> {
  const file = freshPath();
  const sink = await JsonlSink.open(file, { maxFileBytes: lineBytes * 2 });
  for (let seq = 1; seq <= files * 2; seq++) await sink.write(event(seq));
  await sink.close();
  return file;
}
const names = async (file: string) => (await listJsonlFiles(file)).map((f) => path.basename(f));

describe('JSONL retention', () => {
  it('maxBytes deletes the oldest rotated files, never the active one', async () => {
    const file = await series(4);
    expect(await names(file)).toHaveLength(4);
    const deleted = await applyJsonlRetention(file, { maxBytes: lineBytes * 5 });
    expect(deleted.map((f) => path.basename(f))).toEqual(['events.jsonl', 'events-000001.jsonl']);
    expect(await names(file)).toEqual(['events-000002.jsonl', 'events-000003.jsonl']);
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([5, 6, 7, 8]);
    // Even a limit below the active file's size keeps the active file.
    await applyJsonlRetention(file, { maxBytes: 1 });
    expect(await names(file)).toEqual(['events-000003.jsonl']);
  });

  it('maxAgeMs deletes rotated files last written before the cut-off', async () => {
    const file = await series(3);
    const files = await listJsonlFiles(file);
    const now = Date.now();
    const hourAgo = new Date(now - 3_600_000);
    for (const old of files) utimesSync(old, hourAgo, hourAgo); // the active one too: still kept
    utimesSync(files[1]!, new Date(now), new Date(now));
    const deleted = await applyJsonlRetention(file, { maxAgeMs: 60_000 }, now);
    expect(deleted).toEqual([files[0]]); // stops at the first young file
    expect(await names(file)).toEqual(['events-000001.jsonl', 'events-000002.jsonl']);
  });

  it('a sink applies its retention on open and after each rotation, and keeps writing', async () => {
    const file = await series(3);
    const sink = await JsonlSink.open(file, {
      maxFileBytes: lineBytes * 2,
      retention: { maxBytes: lineBytes * 4 },
    });
    expect(await names(file)).toEqual(['events-000001.jsonl', 'events-000002.jsonl']);
    for (let seq = 7; seq <= 12; seq++) await sink.write(event(seq));
    await sink.close();
    // Checked when a file is started (empty), so the series may pass maxBytes by up to one file.
    expect(await names(file)).toEqual([
      'events-000003.jsonl',
      'events-000004.jsonl',
      'events-000005.jsonl',
    ]);
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([7, 8, 9, 10, 11, 12]);
    // Reopening a pruned series continues its seq.
    const again = await JsonlSink.open(file);
    expect(again.head.seq).toBe(12);
    await again.close();
  });

  it('deleteJsonlSeries removes a (per-session) series whole', async () => {
    const file = await series(3);
    const deleted = await deleteJsonlSeries(file);
    expect(deleted).toHaveLength(3);
    expect(await listJsonlFiles(file)).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect(await deleteJsonlSeries(file)).toEqual([]);
  });
});
