import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CLIENT_DIR } from './test-helpers/web-app.js';

/** The budget of the issue: JavaScript a first visit must load, gzip. */
const BUDGET_BYTES = 200 * 1024;

/** The scripts `index.html` loads up front: its module entry and what it preloads. */
function initialScripts(html: string): string[] {
  const sources = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((match) => match[1]!);
  return [...new Set(sources)];
}

describe('the built chat UI (dist/)', () => {
  it(`loads at most ${BUDGET_BYTES / 1024} kB of JavaScript (gzip) up front; highlighting loads later`, () => {
    const html = readFileSync(path.join(CLIENT_DIR, 'index.html'), 'utf8');
    const scripts = initialScripts(html);
    expect(scripts.length).toBeGreaterThan(0);
    const sizes = scripts.map((src) => {
      const file = readFileSync(path.join(CLIENT_DIR, src.replace(/^\//, '')));
      return { src, bytes: file.length, gzip: gzipSync(file, { level: 9 }).length };
    });
    const gzip = sizes.reduce((sum, entry) => sum + entry.gzip, 0);
    const out = path.join(CLIENT_DIR, '..', 'test-results');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, 'bundle-size.json'),
      JSON.stringify(
        { budgetBytes: BUDGET_BYTES, initialGzipBytes: gzip, scripts: sizes },
        null,
        2,
      ),
    );
    console.log(
      `initial JS: ${(gzip / 1024).toFixed(1)} kB gzip (budget ${BUDGET_BYTES / 1024} kB)`,
    );
    expect(gzip).toBeLessThanOrEqual(BUDGET_BYTES);
    // The syntax highlighter is a lazy chunk, not part of the first load.
    expect(scripts.some((src) => /\/(core|lang)-/.test(src))).toBe(false);
  });
});
