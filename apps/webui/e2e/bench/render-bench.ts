// `pnpm nx run @switchboard/webui:bench`: how the chat UI renders and scrolls a
// long session in headless Chromium, against the built server. The session's
// event stream is replaced (page.route) by 2,000 messages of markdown, so the
// numbers measure the client: the shared reducer, React and the virtual list.
// Prints a table for BENCHMARKS.md and writes test-results/render-bench.json.
// BENCH_ROUNDS (default 5) and BENCH_MESSAGES (default 2000) change the size.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, openPage } from '../test-helpers/browser.js';
import { e2eScript } from '../test-helpers/model-script.js';
import { CLIENT_DIR, startE2eApp } from '../test-helpers/web-app.js';
import { longSessionEvents, sseBody } from './long-session.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const SCROLL_FRAMES = 240;

interface Round {
  firstPaintMs: number;
  frames: number[];
  domRows: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function round(page: Page, url: string): Promise<Round> {
  await page.goto(url);
  // Time to first paint of the session: navigation start to the last message on screen.
  const handle = await page.waitForFunction(
    (count) => {
      const timeline = document.querySelector('.timeline');
      if (timeline?.getAttribute('data-count') !== String(count)) return false;
      return document.querySelector(`.timeline__row[data-index="${count - 1}"] .msg`)
        ? performance.now()
        : false;
    },
    MESSAGES,
    { polling: 'raf', timeout: 120_000 },
  );
  const firstPaintMs = (await handle.jsonValue()) as number;
  // Scroll from the bottom to the top at a steady pace, one step per frame.
  const result = await page.evaluate(async (frames) => {
    const timeline = document.querySelector('.timeline')!;
    const step = timeline.scrollHeight / frames;
    const times: number[] = [];
    let last = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
    for (let frame = 0; frame < frames; frame += 1) {
      timeline.scrollTop = Math.max(0, timeline.scrollTop - step);
      const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      times.push(now - last);
      last = now;
    }
    return { times, rows: document.querySelectorAll('.timeline__row').length };
  }, SCROLL_FRAMES);
  return { firstPaintMs, frames: result.times, domRows: result.rows };
}

await using app = await startE2eApp({ script: e2eScript });
await using browser = await launchBrowser();
const created = (await (
  await fetch(`${app.url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
).json()) as { id: string };
const events = longSessionEvents(created.id, MESSAGES / 2);
const rounds: Round[] = [];
for (let index = 0; index < ROUNDS; index += 1) {
  const { page, context } = await openPage(browser);
  await page.route(`**/api/sessions/${created.id}/events*`, async (route) => {
    const after = Number(route.request().headers()['last-event-id'] ?? 0);
    await route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      body: sseBody(created.id, events, after),
    });
  });
  rounds.push(await round(page, `${app.url}/?session=${created.id}`));
  await context.close();
}

const frames = rounds.flatMap((entry) => entry.frames).sort((a, b) => a - b);
const summary = {
  messages: MESSAGES,
  events: events.length,
  rounds: ROUNDS,
  firstPaintMs: {
    median: Math.round(median(rounds.map((entry) => entry.firstPaintMs))),
    all: rounds.map((entry) => Math.round(entry.firstPaintMs)),
  },
  scrollFrameMs: {
    p50: +percentile(frames, 50).toFixed(1),
    p95: +percentile(frames, 95).toFixed(1),
    p99: +percentile(frames, 99).toFixed(1),
    max: +(frames.at(-1) ?? 0).toFixed(1),
    over50ms: frames.filter((frame) => frame > 50).length,
    frames: frames.length,
  },
  domRows: median(rounds.map((entry) => entry.domRows)),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, Chromium headless`,
};
const out = path.join(CLIENT_DIR, '..', 'test-results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'render-bench.json'), JSON.stringify(summary, null, 2));
console.log(`
### @switchboard/webui: rendering ${MESSAGES} messages (${events.length} events) in Chromium

| measure | value |
| --- | --- |
| time to first paint of the session (navigation → last message on screen), median of ${ROUNDS} | ${summary.firstPaintMs.median} ms (${summary.firstPaintMs.all.join(', ')}) |
| scroll frame time p50 / p95 / p99 / max (${frames.length} frames, bottom → top) | ${summary.scrollFrameMs.p50} / ${summary.scrollFrameMs.p95} / ${summary.scrollFrameMs.p99} / ${summary.scrollFrameMs.max} ms |
| frames over 50 ms | ${summary.scrollFrameMs.over50ms} |
| rows in the DOM (virtualised) | ${summary.domRows} |

Machine: ${summary.machine}.
`);
