import { stat, unlink } from 'node:fs/promises';
import { z } from 'zod';
import { listJsonlFiles } from './jsonl-files.js';

/** How long rotated files of a JSONL series are kept. */
export const jsonlRetentionSchema = z.object({
  /** Delete rotated files last written longer ago than this, ms. */
  maxAgeMs: z.number().int().positive().optional(),
  /** Delete the oldest rotated files while the whole series is larger than this, bytes. */
  maxBytes: z.number().int().positive().optional(),
});

/** A retention policy: `{ maxAgeMs, maxBytes }`, either or both. */
export type JsonlRetention = z.input<typeof jsonlRetentionSchema>;

/**
 * Deletes whole rotated files of the series at `basePath`, oldest first, while
 * the oldest is older than `maxAgeMs` (by its last write) or the series is
 * larger than `maxBytes`. The last file, the one a sink appends to, is never
 * deleted, so a series over `maxBytes` with a single file stays as it is.
 * Files go strictly from the front: the series stays a contiguous tail.
 * Resolves to the deleted paths.
 */
export async function applyJsonlRetention(
  basePath: string,
  policy: JsonlRetention,
  now: number = Date.now(),
): Promise<string[]> {
  const files = await listJsonlFiles(basePath);
  const stats = await Promise.all(files.map((file) => stat(file)));
  let total = stats.reduce((sum, entry) => sum + entry.size, 0);
  const deleted: string[] = [];
  for (let index = 0; index < files.length - 1; index++) {
    const { size, mtimeMs } = stats[index]!;
    const tooOld = policy.maxAgeMs !== undefined && now - mtimeMs > policy.maxAgeMs;
    const tooBig = policy.maxBytes !== undefined && total > policy.maxBytes;
    if (!tooOld && !tooBig) break;
    await unlinkIfPresent(files[index]!);
    deleted.push(files[index]!);
    total -= size;
  }
  return deleted;
}

/**
 * Deletes every file of the series at `basePath`, the active one included;
 * resolves to the deleted paths. Close any sink writing to it first. With one
 * series per session (`bus.registry`), this deletes that session's JSONL
 * history; a series shared by several sessions cannot drop one session's lines
 * (files are append-only), so delete such a series whole or let retention age it out.
 */
export async function deleteJsonlSeries(basePath: string): Promise<string[]> {
  const files = await listJsonlFiles(basePath);
  for (const file of files) await unlinkIfPresent(file);
  return files;
}

/** Deleting races with other cleaners: a file already gone is what we wanted. */
async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
