import { open, stat } from 'node:fs/promises';
import { listJsonlFiles } from '@switchboard/events/node';

/** Where a follower stands in a series: a file and the byte offset of its next line. */
export interface SeriesPosition {
  file: string;
  offset: number;
}

const NEWLINE = 0x0a;

/** The end of the complete (newline-terminated) part of a series: where `tail -f` starts. */
export async function seriesEnd(basePath: string): Promise<SeriesPosition | undefined> {
  const files = await listJsonlFiles(basePath);
  const file = files.at(-1);
  if (file === undefined) return undefined;
  const { size } = await stat(file);
  const handle = await open(file, 'r');
  try {
    // Back from the end in blocks to the last newline: a torn tail is not yet a line.
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - 64 * 1024);
      const block = Buffer.alloc(end - start);
      await handle.read(block, 0, block.length, start);
      const index = block.lastIndexOf(NEWLINE);
      if (index >= 0) return { file, offset: start + index + 1 };
      end = start;
    }
    return { file, offset: 0 };
  } finally {
    await handle.close();
  }
}

/**
 * Follows a growing JSONL series from `from`: yields each line once its
 * newline is written, moving on to the next rotated file when one appears
 * (what is left unterminated in the file before it is a torn write, skipped).
 * Polls every `pollMs`; ends when `signal` aborts.
 */
export async function* followSeries(
  basePath: string,
  options: { from?: SeriesPosition; signal: AbortSignal; pollMs?: number },
): AsyncGenerator<string> {
  const pollMs = options.pollMs ?? 200;
  let position = options.from;
  let pending = Buffer.alloc(0);
  while (!options.signal.aborted) {
    const files = await listJsonlFiles(basePath);
    position ??= files[0] === undefined ? undefined : { file: files[0], offset: 0 };
    if (position) {
      const { size } = await stat(position.file).catch(() => ({ size: 0 }));
      if (size > position.offset) {
        const handle = await open(position.file, 'r');
        try {
          const chunk = Buffer.alloc(size - position.offset);
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, position.offset);
          position.offset += bytesRead;
          pending = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
        } finally {
          await handle.close();
        }
        let newline = pending.indexOf(NEWLINE);
        while (newline >= 0) {
          const line = pending.subarray(0, newline).toString('utf8');
          pending = pending.subarray(newline + 1);
          if (line.trim() !== '') yield line;
          newline = pending.indexOf(NEWLINE);
        }
        continue; // read again at once: the file may still be growing
      }
      const next = files[files.indexOf(position.file) + 1];
      if (next !== undefined) {
        position = { file: next, offset: 0 };
        pending = Buffer.alloc(0);
        continue;
      }
    }
    await sleep(pollMs, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
