import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as client from './client.js';
import { loadFixture } from './fixtures/index.js';

const srcDir = fileURLToPath(new URL('.', import.meta.url));

/** Bundles `contents` (resolved from src/) for the browser, minified, as an app would. */
async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: srcDir, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { gzipBytes: gzipSync(code).length, inputs: Object.keys(result.metafile.inputs) };
}

describe('@switchboard/events/client', () => {
  it('bundles for the browser under 15 kB gzip, without zod or the schemas', async () => {
    const { gzipBytes, inputs } = await bundle("export * from './client.ts';");
    expect(inputs.filter((path) => /node_modules|[\\/]zod[\\/]/.test(path))).toEqual([]);
    // The contract version and the voice-event guard are constants; every other schema file
    // pulls zod (the check above holds either way).
    const zodFree = ['contract-version.ts', 'is-voice-event.ts'];
    expect(
      inputs.filter(
        (path) => path.includes('schema/') && !zodFree.some((file) => path.endsWith(file)),
      ),
    ).toEqual([]);
    expect(inputs.some((path) => path.includes('sse/read-event-stream'))).toBe(true);
    expect(inputs.some((path) => path.includes('view/reduce-session'))).toBe(true);
    expect(gzipBytes).toBeLessThan(15 * 1024);
  });

  it('is a working entry: reduce, render and summarize a fixture with it alone', () => {
    const events = loadFixture('plain-chat');
    const view = client.reduceEvents(events);
    expect(view.title).toBe('Greeting');
    expect(client.toMarkdown(events)).toContain('Hello, world!');
    expect(client.summarize(events).messages.total).toBe(2);
    expect(typeof client.decodeSseStream).toBe('function');
    expect(typeof client.connectEventStream).toBe('function');
  });
});
