import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnyEvent } from '../../schema/agent-event.js';
import { JsonlSink } from './jsonl-sink.js';
import { readJsonlEventArray } from './read-jsonl.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'read-jsonl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => {
  const file = path.join(root, `case-${++counter}`, 'events.jsonl');
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
};

const event = (seq: number, sessionId = 's', extra: Record<string, unknown> = {}): AnyEvent => ({
  v: 1,
  type: 'message.delta',
  seq,
  ts: 1000 + seq,
  sessionId,
  runId: 'r',
  data: { messageId: 'm', delta: `chunk ${seq}` },
  ...extra,
});
const line = (value: unknown) => `${JSON.stringify(value)}\n`;
const seqs = (events: AnyEvent[]) => events.map((e) => [e.sessionId, e.seq]);

describe('readJsonlEvents', () => {
  it('an unterminated last line is torn even when it is complete JSON, for the reader and for open alike', async () => {
    const file = freshPath();
    writeFileSync(file, line(event(1)) + JSON.stringify(event(2))); // no final newline
    const torn: number[] = [];
    const read = await readJsonlEventArray(file, { onTornLine: (info) => torn.push(info.line) });
    expect(read.map((e) => e.seq)).toEqual([1]);
    expect(torn).toEqual([2]);
    const sink = await JsonlSink.open(file);
    expect(sink.head.seq).toBe(1); // the same rule: seq 2 was never an event
    await sink.close();
  });

  it('afterSeq never skips a later event of another session, with or without sessionId', async () => {
    const file = freshPath();
    const lineBytes = line(event(10, 'a')).length;
    // One series shared by two sessions; each file's last line belongs to session a.
    const sink = await JsonlSink.open(file, { maxFileBytes: lineBytes * 2 + 4 });
    const order: [string, number][] = [
      ['b', 1],
      ['a', 1],
      ['b', 2],
      ['a', 2],
      ['b', 3],
      ['a', 3],
    ];
    for (const [sessionId, seq] of order) await sink.write(event(seq, sessionId));
    await sink.close();
    // Files: [b1 a1] [b2 a2] [b3 a3]: every non-last file ends with a's seq ≤ 2.
    const after2 = await readJsonlEventArray(file, { afterSeq: 2 });
    expect(seqs(after2)).toEqual([
      ['b', 3],
      ['a', 3],
    ]);
    const bAfter1 = await readJsonlEventArray(file, { afterSeq: 1, sessionId: 'b' });
    expect(seqs(bAfter1)).toEqual([
      ['b', 2],
      ['b', 3],
    ]);
    const aAfter2 = await readJsonlEventArray(file, { afterSeq: 2, sessionId: 'a' });
    expect(seqs(aAfter2)).toEqual([['a', 3]]);
  });

  it.each([
    ['no seq', { ...event(2), seq: undefined }],
    ['a negative seq', event(-2)],
    ['a string seq', { ...event(2), seq: '2' }],
    ['a fractional seq', event(2.5)],
    ['a duplicate seq', event(1)],
    ['no sessionId', { ...event(2), sessionId: undefined }],
  ])('refuses a line with %s, with and without validate', async (_name, bad) => {
    const file = freshPath();
    writeFileSync(file, line(event(1)) + line(bad) + line(event(3)));
    for (const validate of [false, true]) {
      await expect(readJsonlEventArray(file, { validate })).rejects.toMatchObject({
        code: 'EVENTS_JSONL_CORRUPT',
        details: { file, line: 2 },
      });
    }
  });

  it('refuses out-of-order seqs within a session, but lets sessions interleave', async () => {
    const file = freshPath();
    writeFileSync(file, line(event(1, 'a')) + line(event(1, 'b')) + line(event(2, 'a')));
    expect(seqs(await readJsonlEventArray(file))).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
    ]);
    appendFileSync(file, line(event(1, 'a')));
    await expect(readJsonlEventArray(file)).rejects.toMatchObject({
      code: 'EVENTS_JSONL_CORRUPT',
      details: { line: 4, sessionId: 'a', seq: 1, previousSeq: 2 },
    });
  });

  it('accepts a UTF-8 byte order mark at the start of a file', async () => {
    const file = freshPath();
    writeFileSync(file, `\uFEFF${line(event(1))}${line(event(2))}`);
    expect((await readJsonlEventArray(file, { validate: true })).map((e) => e.seq)).toEqual([1, 2]);
    const sink = await JsonlSink.open(file);
    expect(sink.head.seq).toBe(2);
    await sink.close();
    const single = freshPath();
    writeFileSync(single, `\uFEFF${line(event(7))}`);
    const reopened = await JsonlSink.open(single);
    expect(reopened.head.seq).toBe(7);
    await reopened.close();
  });

  it('blank lines are skipped by the reader and passed over by open alike', async () => {
    const file = freshPath();
    writeFileSync(file, `${line(event(1))}\n${line(event(2))}  \n\r\n\n`);
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([1, 2]);
    const sink = await JsonlSink.open(file);
    expect(sink.head.seq).toBe(2);
    await sink.write(event(3));
    await sink.close();
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('reads a long line in linear time and refuses one over maxLineBytes with a code', async () => {
    const file = freshPath();
    const big = event(2, 's', { data: { messageId: 'm', delta: 'x'.repeat(8 * 1024 * 1024) } });
    writeFileSync(file, line(event(1)) + line(big) + line(event(3)));
    const started = performance.now();
    const events = await readJsonlEventArray(file);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    // Linear: ~20 ms on an idle machine; the old reader needed several seconds for 8 MiB.
    expect(performance.now() - started).toBeLessThan(3_000);
    await expect(readJsonlEventArray(file, { maxLineBytes: 1024 * 1024 })).rejects.toMatchObject({
      code: 'EVENTS_JSONL_LINE_TOO_LONG',
      details: { file, line: 2, limit: 1024 * 1024 },
    });
  });
});
