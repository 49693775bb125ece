import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Name of the `index`-th file of a series: `events.jsonl`, `events-000001.jsonl`, … */
export function jsonlFileName(basePath: string, index: number): string {
  if (index === 0) return basePath;
  const extension = path.extname(basePath);
  const stem = basePath.slice(0, basePath.length - extension.length);
  return `${stem}-${String(index).padStart(6, '0')}${extension}`;
}

/**
 * The files of a rotated series in write order (the base file first, then
 * `-000001`, `-000002`, … by number). Missing series → empty list.
 */
export async function listJsonlFiles(basePath: string): Promise<string[]> {
  const dir = path.dirname(basePath);
  const extension = path.extname(basePath);
  const stem = path.basename(basePath, extension);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const pattern = new RegExp(`^${escapeRegExp(stem)}-(\\d{6,})${escapeRegExp(extension)}$`);
  const rotated = names
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match != null)
    .map((entry) => ({ name: entry.name, index: Number(entry.match[1]) }))
    .sort((a, b) => a.index - b.index)
    .map((entry) => path.join(dir, entry.name));
  const hasBase = names.includes(path.basename(basePath));
  return [...(hasBase ? [basePath] : []), ...rotated];
}

/** Index of a series file (0 for the base file). */
export function jsonlFileIndex(basePath: string, file: string): number {
  if (file === basePath) return 0;
  const match = /-(\d{6,})\.[^.]*$|-(\d{6,})$/.exec(file);
  return Number(match?.[1] ?? match?.[2] ?? 0);
}

/**
 * The last complete (newline-terminated) line of a file and the byte offset
 * where the complete part ends, reading backwards in blocks so a 100 MiB file
 * costs a few KiB of I/O. `torn` is true when bytes follow the last newline.
 */
export async function readTail(
  file: string,
): Promise<{ lastLine: string | undefined; completeBytes: number; size: number; torn: boolean }> {
  const { size } = await stat(file);
  if (size === 0) return { lastLine: undefined, completeBytes: 0, size, torn: false };
  const handle = await open(file, 'r');
  try {
    const block = 64 * 1024;
    let end = size;
    let tail = Buffer.alloc(0);
    let lastNewline = -1; // offset in file
    // 1. find the last newline
    while (end > 0 && lastNewline < 0) {
      const start = Math.max(0, end - block);
      const chunk = Buffer.alloc(end - start);
      await handle.read(chunk, 0, chunk.length, start);
      tail = Buffer.concat([chunk, tail]);
      const index = chunk.lastIndexOf(10);
      if (index >= 0) lastNewline = start + index;
      end = start;
    }
    if (lastNewline < 0) return { lastLine: undefined, completeBytes: 0, size, torn: true };
    const completeBytes = lastNewline + 1;
    // 2. find the newline before it (start of the last complete line)
    const tailStart = size - tail.length;
    let lineStart = -1;
    let searchEnd = lastNewline - tailStart; // index in tail
    for (;;) {
      const index = searchEnd > 0 ? tail.lastIndexOf(10, searchEnd - 1) : -1;
      if (index >= 0) {
        lineStart = tailStart + index + 1;
        break;
      }
      const readStart = size - tail.length;
      if (readStart === 0) {
        lineStart = 0;
        break;
      }
      const start = Math.max(0, readStart - block);
      const chunk = Buffer.alloc(readStart - start);
      await handle.read(chunk, 0, chunk.length, start);
      searchEnd += chunk.length;
      tail = Buffer.concat([chunk, tail]);
    }
    const offset = size - tail.length;
    const lastLine = tail.subarray(lineStart - offset, lastNewline - offset).toString('utf8');
    return { lastLine, completeBytes, size, torn: completeBytes < size };
  } finally {
    await handle.close();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
