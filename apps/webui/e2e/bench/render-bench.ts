// `pnpm nx run @switchboard/webui:bench`: how the chat UI renders and scrolls a
// long session in headless Chromium, against the built server. The session's
// event stream and its stored view (`GET /api/sessions/:id`, reduced with the
// shared reducer as the server does) are served from memory (page.route): 2,000
// messages of markdown, so the numbers measure the client: React, the virtual
// list and whatever the client replays.
// Prints a table for BENCHMARKS.md and writes test-results/render-bench.json.
// BENCH_ROUNDS (default 5) and BENCH_MESSAGES (default 2000) change the size.
// BENCH_CLIENT_B=<a built client's dist> runs that client too, in the same run,
// alternating A and B each round (ABBA), and reports B's numbers and A/B ratios.
// BENCH_CLIENT_A=<dist> replaces this build's client (an unminified build, to profile).
// BENCH_PROFILE=<dir> writes a CPU profile of each client's first round there.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AnyEvent } from '@switchboard/events';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage } from '../test-helpers/browser.js';
import { e2eScript } from '../test-helpers/model-script.js';
import { CLIENT_DIR, startE2eApp, type E2eApp } from '../test-helpers/web-app.js';
import { longSessionEvents, sessionBody, sseBody } from './long-session.js';
import { measureRound, type MainThreadWork, type Round } from './measure-round.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const CLIENT_A = process.env.BENCH_CLIENT_A ?? CLIENT_DIR;
const CLIENT_B = process.env.BENCH_CLIENT_B;
const PROFILE_DIR = process.env.BENCH_PROFILE;
const SCROLL_FRAMES = 240;

interface Client {
  name: 'A' | 'B';
  app: E2eApp;
  sessionId: string;
  events: AnyEvent[];
  rounds: Round[];
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

async function startClient(name: Client['name'], clientDir: string): Promise<Client> {
  const app = await startE2eApp({
    script: e2eScript,
    env: { WEBUI_TEST_CLIENT_DIR: clientDir },
  });
  const created = (await (
    await fetch(`${app.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
  ).json()) as { id: string };
  return {
    name,
    app,
    sessionId: created.id,
    events: longSessionEvents(created.id, MESSAGES / 2),
    rounds: [],
  };
}

async function runRound(browser: Browser, client: Client, profile?: string): Promise<void> {
  const { page, context } = await openPage(browser);
  const { sessionId, events } = client;
  // The stored session as the server answers it: its metadata, and its view
  // reduced from the whole log with `headSeq` (a client that uses it streams
  // only what comes after).
  await page.route(`**/api/sessions/${sessionId}`, async (route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    const response = await route.fetch();
    const meta = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: sessionBody(meta, events) });
  });
  await page.route(`**/api/sessions/${sessionId}/events*`, async (route) => {
    const after = Number(route.request().headers()['last-event-id'] ?? 0);
    await route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      body: sseBody(sessionId, events, after),
    });
  });
  client.rounds.push(
    await measureRound({
      page,
      context,
      url: `${client.app.url}/?session=${sessionId}`,
      messages: MESSAGES,
      scrollFrames: SCROLL_FRAMES,
      ...(profile ? { profile } : {}),
    }),
  );
  await context.close();
}

function summarise(client: Client) {
  const { rounds } = client;
  const frames = rounds.flatMap((entry) => entry.frames).sort((a, b) => a - b);
  const work = (pick: (round: Round) => MainThreadWork) => ({
    task: Math.round(median(rounds.map((round) => pick(round).task))),
    script: Math.round(median(rounds.map((round) => pick(round).script))),
    layout: Math.round(median(rounds.map((round) => pick(round).layout))),
    style: Math.round(median(rounds.map((round) => pick(round).style))),
  });
  return {
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
    // The slowest frames and what they did: [ms, rows added, scroll events].
    slowestFrames: rounds
      .flatMap((round) =>
        round.frames.map((ms, index) => [
          +ms.toFixed(1),
          round.rowsAdded[index] ?? 0,
          round.scrollEvents[index] ?? 0,
        ]),
      )
      .sort((x, y) => y[0]! - x[0]!)
      .slice(0, 12),
    rowsAddedPerFrame: +(
      rounds.reduce((sum, round) => sum + round.rowsAdded.reduce((x, y) => x + y, 0), 0) /
      Math.max(1, frames.length)
    ).toFixed(1),
    scrollEventsPerFrame: +(
      rounds.reduce((sum, round) => sum + round.scrollEvents.reduce((x, y) => x + y, 0), 0) /
      Math.max(1, frames.length)
    ).toFixed(2),
    scrollLongTasks: rounds.reduce((sum, round) => sum + round.scrollLongTasks, 0),
    loadWorkMs: work((round) => round.loadWork),
    scrollWorkMs: work((round) => round.scrollWork),
    domRows: median(rounds.map((entry) => entry.domRows)),
    phasesMs: Object.fromEntries(
      Object.keys(rounds[0]?.phases ?? {}).map((name) => [
        name,
        Math.round(median(rounds.map((round) => round.phases[name] ?? 0))),
      ]),
    ),
  };
}

/** Median over rounds of A's value / B's value in the same round. */
function pairedRatio(a: Client, b: Client, pick: (round: Round) => number): number {
  const ratios = a.rounds.map(
    (round, index) => pick(round) / Math.max(1e-9, pick(b.rounds[index]!)),
  );
  return +median(ratios).toFixed(2);
}

const load = os.loadavg().map((value) => value.toFixed(1));
const clients: Client[] = [];
try {
  clients.push(await startClient('A', path.resolve(CLIENT_A)));
  if (CLIENT_B) clients.push(await startClient('B', path.resolve(CLIENT_B)));
  await using browser = await launchBrowser();
  for (let index = 0; index < ROUNDS; index += 1) {
    // ABBA: each client goes first as often as the other.
    const order = index % 2 === 0 ? clients : [...clients].reverse();
    for (const client of order) {
      const profile =
        PROFILE_DIR && index < clients.length
          ? path.join(PROFILE_DIR, `render-${client.name}-${index}`)
          : undefined;
      if (profile) mkdirSync(PROFILE_DIR!, { recursive: true });
      await runRound(browser, client, profile);
    }
  }
} finally {
  for (const client of clients) await client.app[Symbol.asyncDispose]();
}

const [a, b] = clients as [Client, Client | undefined];
const summaryA = summarise(a);
const summaryB = b ? summarise(b) : undefined;
const ratios = b
  ? {
      firstPaint: pairedRatio(a, b, (round) => round.firstPaintMs),
      loadTask: pairedRatio(a, b, (round) => round.loadWork.task),
      loadScript: pairedRatio(a, b, (round) => round.loadWork.script),
      scrollTask: pairedRatio(a, b, (round) => round.scrollWork.task),
    }
  : undefined;
const summary = {
  messages: MESSAGES,
  events: a.events.length,
  rounds: ROUNDS,
  loadAverageAtStart: load,
  loadAverageAtEnd: os.loadavg().map((value) => value.toFixed(1)),
  ...summaryA,
  ...(summaryB ? { clientB: { dir: CLIENT_B, ...summaryB }, ratiosAOverB: ratios } : {}),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, Chromium headless`,
};
const out = path.join(CLIENT_DIR, '..', 'test-results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'render-bench.json'), JSON.stringify(summary, null, 2));

const row = (label: string, value: (s: ReturnType<typeof summarise>) => string, ratio?: number) =>
  `| ${label} | ${value(summaryA)} |${summaryB ? ` ${value(summaryB)} | ${ratio ?? ''} |` : ''}`;
const work = (w: MainThreadWork) =>
  `${w.task} (script ${w.script}, layout ${w.layout}, style ${w.style})`;
console.log(`
### @switchboard/webui: rendering ${MESSAGES} messages (${a.events.length} events) in Chromium

| measure (median of ${ROUNDS} rounds) | A: this build |${summaryB ? ' B: BENCH_CLIENT_B | A/B (median of paired rounds) |' : ''}
| --- | --- |${summaryB ? ' --- | --- |' : ''}
${row('time to first paint (navigation → last message on screen)', (s) => `${s.firstPaintMs.median} ms (${s.firstPaintMs.all.join(', ')})`, ratios?.firstPaint)}
${row('main-thread work until first paint, ms (CDP)', (s) => work(s.loadWorkMs), ratios?.loadTask)}
${row('main-thread work while scrolling, ms (CDP)', (s) => work(s.scrollWorkMs), ratios?.scrollTask)}
${row('scroll frame time p50 / p95 / p99 / max', (s) => `${s.scrollFrameMs.p50} / ${s.scrollFrameMs.p95} / ${s.scrollFrameMs.p99} / ${s.scrollFrameMs.max} ms`)}
${row(`frames over 50 ms (of ${summaryA.scrollFrameMs.frames})`, (s) => String(s.scrollFrameMs.over50ms))}
${row('long tasks (> 50 ms) while scrolling, all rounds', (s) => String(s.scrollLongTasks))}
${row('rows added / scroll events per frame', (s) => `${s.rowsAddedPerFrame} / ${s.scrollEventsPerFrame}`)}
${row('slowest frames [ms, rows added, scroll events]', (s) =>
  s.slowestFrames
    .slice(0, 5)
    .map((f) => `[${f.join(', ')}]`)
    .join(' '),
)}
${row('rows in the DOM (virtualised)', (s) => String(s.domRows))}
${row('load steps ended at (ms from navigation)', (s) =>
  Object.entries(s.phasesMs)
    .sort((x, y) => x[1] - y[1])
    .map(([name, ms]) => `${name} ${ms}`)
    .join(', '),
)}

Load average at start ${load.join(' / ')}, at end ${summary.loadAverageAtEnd.join(' / ')}. Machine: ${summary.machine}.
`);
