import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTail } from './jsonl-files.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'jsonl-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => {
  const file = path.join(root, `case-${++counter}`, 'events.jsonl');
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
};

describe('readTail', () => {
  it.each([
    ['10 bytes', 10],
    ['just under a block', 64 * 1024 - 20],
    ['exactly a block', 64 * 1024],
    ['a block and a bit', 64 * 1024 + 7],
    ['many blocks', 1_000_003],
  ])('returns a last line of %s whole, after lines of any size', async (_name, size) => {
    for (const before of ['', 'a\n', `${'b'.repeat(100_000)}\n`, `x\n${'c'.repeat(70_000)}\n`]) {
      const file = freshPath();
      const last = 'z'.repeat(size);
      writeFileSync(file, `${before}${last}\n`);
      const tail = await readTail(file);
      expect(tail.lastLine?.length).toBe(size);
      expect(tail.lastLine).toBe(last);
      expect(tail).toMatchObject({ completeBytes: before.length + size + 1, torn: false });
    }
  });

  it('finds the last complete line before a torn tail of any size', async () => {
    const file = freshPath();
    writeFileSync(file, `first\n${'l'.repeat(200_000)}\n${'t'.repeat(150_000)}`);
    const tail = await readTail(file);
    expect(tail.lastLine).toBe('l'.repeat(200_000));
    expect(tail).toMatchObject({ completeBytes: 6 + 200_001, torn: true });
  });

  it('passes over blank lines, across blocks, to the last line with content', async () => {
    const file = freshPath();
    writeFileSync(file, `a\n${'k'.repeat(100_000)}\n${' \r\n'.repeat(50_000)}\n`);
    const tail = await readTail(file);
    expect(tail.lastLine).toBe('k'.repeat(100_000));
    expect(tail).toMatchObject({ completeBytes: 2 + 100_001 + 150_001, torn: false });
    const blank = freshPath();
    writeFileSync(blank, '\n\n \n');
    expect(await readTail(blank)).toMatchObject({ lastLine: undefined, completeBytes: 4 });
  });

  it('reads a 32 MiB last line in linear time', async () => {
    const file = freshPath();
    writeFileSync(file, `a\n${'q'.repeat(32 * 1024 * 1024)}\n`);
    const started = performance.now();
    const tail = await readTail(file);
    expect(tail.lastLine?.length).toBe(32 * 1024 * 1024);
    // ~30 ms idle; the old quadratic version took seconds. Generous for a loaded machine.
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('refuses a last line (or torn tail) over maxLineBytes without reading it all', async () => {
    const file = freshPath();
    writeFileSync(file, `a\n${'q'.repeat(3 * 1024 * 1024)}\n`);
    await expect(readTail(file, 1024 * 1024)).rejects.toMatchObject({
      code: 'EVENTS_JSONL_LINE_TOO_LONG',
      details: { file, limit: 1024 * 1024 },
    });
    const torn = freshPath();
    writeFileSync(torn, `a\n${'q'.repeat(3 * 1024 * 1024)}`);
    await expect(readTail(torn, 1024 * 1024)).rejects.toMatchObject({
      code: 'EVENTS_JSONL_LINE_TOO_LONG',
    });
  });
});
