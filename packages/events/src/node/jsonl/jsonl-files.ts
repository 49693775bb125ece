import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MAX_LINE_BYTES, lineTooLong } from './jsonl-lines.js';

const NEWLINE = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

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
 * where the complete part ends, reading backwards in growing blocks so the
 * cost is linear in the size of that line and of any torn tail after it (a
 * 100 MiB file with short lines costs a few KiB of I/O). `torn` is true when
 * bytes follow the last newline. Blank lines are passed over (the reader skips
 * them too), and a leading UTF-8 BOM is not part of the line.
 * A last line or torn tail longer than `maxLineBytes` fails with
 * `EVENTS_JSONL_LINE_TOO_LONG` once the limit is passed.
 */
export async function readTail(
  file: string,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): Promise<{ lastLine: string | undefined; completeBytes: number; size: number; torn: boolean }> {
  const { size } = await stat(file);
  if (size === 0) return { lastLine: undefined, completeBytes: 0, size, torn: false };
  const handle = await open(file, 'r');
  try {
    let block = 64 * 1024;
    let end = size;
    let completeBytes = -1; // where the last newline ends; -1 until it is found
    let pieces: Buffer[] = []; // the candidate line's bytes, last piece first
    let lineBytes = 0;
    let found = false;
    while (end > 0 && !found) {
      const start = Math.max(0, end - block);
      block = Math.min(block * 2, 8 * 1024 * 1024);
      const chunk = Buffer.allocUnsafe(end - start);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, start);
      const data = chunk.subarray(0, bytesRead);
      end = start;
      let searchTo = data.length; // exclusive
      if (completeBytes < 0) {
        const index = data.lastIndexOf(NEWLINE);
        if (index < 0) {
          if (size - start > maxLineBytes)
            throw lineTooLong({ file, bytes: size - start, limit: maxLineBytes });
          continue; // all torn tail: nothing to keep
        }
        completeBytes = start + index + 1;
        if (size - completeBytes > maxLineBytes)
          throw lineTooLong({ file, bytes: size - completeBytes, limit: maxLineBytes });
        searchTo = index;
      }
      // Step back line by line; blank lines are skipped, as the reader skips them.
      for (;;) {
        const previous = searchTo > 0 ? data.lastIndexOf(NEWLINE, searchTo - 1) : -1;
        pieces.push(data.subarray(previous + 1, searchTo));
        lineBytes += searchTo - previous - 1;
        if (lineBytes > maxLineBytes)
          throw lineTooLong({ file, bytes: lineBytes, limit: maxLineBytes });
        if (previous < 0) break; // the line goes on in the block before
        if (!pieces.every(isBlank)) {
          found = true;
          break;
        }
        pieces = [];
        lineBytes = 0;
        searchTo = previous;
      }
    }
    if (completeBytes < 0) return { lastLine: undefined, completeBytes: 0, size, torn: true };
    let line = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces.reverse());
    if (!found && line.subarray(0, 3).equals(BOM)) line = line.subarray(3); // the line starts the file
    const lastLine = isBlank(line) ? undefined : line.toString('utf8');
    return { lastLine, completeBytes, size, torn: completeBytes < size };
  } finally {
    await handle.close();
  }
}

/** Whether bytes are only spaces, tabs and carriage returns (a blank line). */
function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
