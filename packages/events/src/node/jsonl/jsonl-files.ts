import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

const NEWLINE = 0x0a;
const BLOCK_BYTES = 64 * 1024;

/**
 * Name of the `index`-th file of a series: index 0 is `basePath` itself
 * (`events.jsonl`), then `events-000001.jsonl`, `events-000002.jsonl`, … (stem,
 * `-`, at least 6 digits, extension).
 */
export function jsonlFileName(basePath: string, index: number): string {
  if (index === 0) return basePath;
  const extension = path.extname(basePath);
  const stem = basePath.slice(0, basePath.length - extension.length);
  return `${stem}-${String(index).padStart(6, '0')}${extension}`;
}

/**
 * The existing files of the series at `basePath`, in write order: the base
 * file first, then `-000001`, `-000002`, … by number (not by name, so
 * `-1000000` sorts after `-999999`). A missing directory or series gives `[]`.
 */
export async function listJsonlFiles(basePath: string): Promise<string[]> {
  const dir = path.dirname(basePath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const indexed: { file: string; index: number }[] = [];
  for (const name of names) {
    const index = seriesIndex(basePath, name);
    if (index !== undefined) indexed.push({ file: path.join(dir, name), index });
  }
  return indexed.sort((a, b) => a.index - b.index).map((entry) => entry.file);
}

/** Position of `file` in the series at `basePath` (0 for the base file), or undefined if it is not part of it. */
export function jsonlFileIndex(basePath: string, file: string): number | undefined {
  if (path.resolve(path.dirname(file)) !== path.resolve(path.dirname(basePath))) return undefined;
  return seriesIndex(basePath, path.basename(file));
}

function seriesIndex(basePath: string, name: string): number | undefined {
  const extension = path.extname(basePath);
  const stem = path.basename(basePath, extension);
  if (name === stem + extension) return 0;
  if (!name.startsWith(`${stem}-`) || !name.endsWith(extension)) return undefined;
  const digits = name.slice(stem.length + 1, name.length - extension.length);
  return /^\d{6,}$/.test(digits) ? Number(digits) : undefined;
}

/** The end of a JSONL file, as {@link readJsonlTail} finds it. */
export interface JsonlTail {
  /** File size in bytes. */
  size: number;
  /** Bytes up to and including the last newline: the committed part of the file. */
  completeBytes: number;
  /** The last newline-terminated line (without its newline), or undefined if there is none. */
  lastLine: string | undefined;
  /**
   * Bytes after the last newline (a write cut short by a crash), as text; `''`
   * when the file ends with a newline. Undefined when that fragment is larger
   * than the `maxFragmentBytes` given to {@link readJsonlTail} (it is never a
   * whole event then).
   */
  fragment: string | undefined;
}

/**
 * Reads the last complete line and any unterminated fragment of a file by
 * scanning backwards in 64 KiB blocks, so a 100 MiB file costs a few KiB of
 * I/O rather than a full read. Memory is bounded by the last line's size.
 */
export async function readJsonlTail(
  file: string,
  options: { maxFragmentBytes?: number } = {},
): Promise<JsonlTail> {
  const { size } = await stat(file);
  if (size === 0) return { size, completeBytes: 0, lastLine: undefined, fragment: '' };
  const handle = await open(file, 'r');
  try {
    const lastNewline = await findNewlineBefore(handle, size);
    const completeBytes = lastNewline + 1;
    const fragmentBytes = size - completeBytes;
    const fragment =
      fragmentBytes <= (options.maxFragmentBytes ?? Number.POSITIVE_INFINITY)
        ? (await readRange(handle, completeBytes, size)).toString('utf8')
        : undefined;
    if (lastNewline < 0) return { size, completeBytes: 0, lastLine: undefined, fragment };
    const lineStart = (await findNewlineBefore(handle, lastNewline)) + 1;
    const lastLine = (await readRange(handle, lineStart, lastNewline)).toString('utf8');
    return { size, completeBytes, lastLine, fragment };
  } finally {
    await handle.close();
  }
}

/** Offset of the last newline strictly before `end`, or -1. */
async function findNewlineBefore(handle: FileHandle, end: number): Promise<number> {
  const block = Buffer.allocUnsafe(BLOCK_BYTES);
  while (end > 0) {
    const start = Math.max(0, end - BLOCK_BYTES);
    const length = end - start;
    const read = await readFully(handle, block, length, start);
    const index = block.subarray(0, read).lastIndexOf(NEWLINE);
    if (index >= 0) return start + index;
    end = start;
  }
  return -1;
}

async function readRange(handle: FileHandle, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(end - start);
  return buffer.subarray(0, await readFully(handle, buffer, buffer.length, start));
}

async function readFully(
  handle: FileHandle,
  buffer: Buffer,
  length: number,
  position: number,
): Promise<number> {
  let offset = 0;
  while (offset < length) {
    const { bytesRead } = await handle.read(buffer, offset, length - offset, position + offset);
    if (bytesRead === 0) break; // the file shrank under us: return what is there
    offset += bytesRead;
  }
  return offset;
}
