import { writeFileSync } from 'node:fs';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/** Main-thread work Chromium counted (CDP `Performance.getMetrics`), in ms. */
export interface MainThreadWork {
  /** Every task on the renderer's main thread. */
  task: number;
  script: number;
  layout: number;
  style: number;
}

/** One load and scroll of the long session. */
export interface Round {
  firstPaintMs: number;
  frames: number[];
  domRows: number;
  /** Main-thread work from navigation to the last message on screen. */
  loadWork: MainThreadWork;
  /** Main-thread work while scrolling bottom → top. */
  scrollWork: MainThreadWork;
  /** Per scroll frame: rows added to the DOM and scroll events. */
  rowsAdded: number[];
  scrollEvents: number[];
  /** Tasks over 50 ms while scrolling (`longtask` entries). */
  scrollLongTasks: number;
  /** When each step of the load ended (ms from navigation start): HTML, script, API calls, stream. */
  phases: Record<string, number>;
}

const METRICS: Record<keyof MainThreadWork, string> = {
  task: 'TaskDuration',
  script: 'ScriptDuration',
  layout: 'LayoutDuration',
  style: 'RecalcStyleDuration',
};

async function work(cdp: CDPSession): Promise<MainThreadWork> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => (metrics.find((entry) => entry.name === name)?.value ?? 0) * 1000;
  return {
    task: value(METRICS.task),
    script: value(METRICS.script),
    layout: value(METRICS.layout),
    style: value(METRICS.style),
  };
}

function minus(after: MainThreadWork, before: MainThreadWork): MainThreadWork {
  return {
    task: after.task - before.task,
    script: after.script - before.script,
    layout: after.layout - before.layout,
    style: after.style - before.style,
  };
}

/**
 * Loads `url` in a fresh page, waits for the last of `messages` rows to be on
 * screen (time to first paint), then scrolls from the bottom to the top one
 * step per frame. With `profile`, writes CPU profiles of the load and of the
 * scroll there (`<profile>-load.cpuprofile`, `<profile>-scroll.cpuprofile`).
 */
export async function measureRound(options: {
  page: Page;
  context: BrowserContext;
  url: string;
  messages: number;
  scrollFrames: number;
  profile?: string;
}): Promise<Round> {
  const { page, context, url, messages } = options;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (options.profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  await page.addInitScript(() => {
    const long: number[] = [];
    Reflect.set(window, '__benchLongTasks', long);
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) long.push(entry.startTime);
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // No longtask entries in this browser: the count stays 0.
    }
  });
  const start = await work(cdp);
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
    messages,
    { polling: 'raf', timeout: 120_000 },
  );
  const firstPaintMs = (await handle.jsonValue()) as number;
  const painted = await work(cdp);
  const phases = await page.evaluate(() => {
    const ends: Record<string, number> = {};
    const [navigation] = performance.getEntriesByType(
      'navigation',
    ) as PerformanceNavigationTiming[];
    if (navigation) ends.html = navigation.responseEnd;
    for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      const url = new URL(entry.name);
      const name = url.pathname.endsWith('.js')
        ? 'script'
        : url.pathname.endsWith('/events')
          ? 'events'
          : url.pathname.startsWith('/api/sessions/')
            ? 'session'
            : url.pathname.startsWith('/api/')
              ? url.pathname.slice(5)
              : undefined;
      if (name !== undefined && ends[name] === undefined) {
        ends[name] = Math.round(entry.responseEnd);
        if (name === 'events') ends['events-first-byte'] = Math.round(entry.responseStart);
      }
    }
    return ends;
  });
  if (options.profile) {
    // One profile up to the first paint, one of the scroll.
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(
      options.profile.replace(/(\.cpuprofile)?$/, '-load.cpuprofile'),
      JSON.stringify(profile),
    );
    await cdp.send('Profiler.start');
  }
  // Scroll from the bottom to the top at a steady pace, one step per frame.
  const result = await page.evaluate(async (frames) => {
    const timeline = document.querySelector('.timeline')!;
    const long = Reflect.get(window, '__benchLongTasks') as number[];
    const step = timeline.scrollHeight / frames;
    const times: number[] = [];
    // What each frame did: rows added to the DOM, scroll events (the bench's
    // own step is one; the rest are the list correcting its offset).
    let added = 0;
    let scrolls = 0;
    const rowsAdded: number[] = [];
    const scrollEvents: number[] = [];
    const observer = new MutationObserver((records) => {
      for (const record of records) added += record.addedNodes.length;
    });
    observer.observe(timeline.firstElementChild ?? timeline, { childList: true });
    // (No named function here: tsx would wrap it in a helper the page lacks.)
    const listening = new AbortController();
    timeline.addEventListener('scroll', () => (scrolls += 1), { signal: listening.signal });
    let last = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
    const from = last;
    for (let frame = 0; frame < frames; frame += 1) {
      timeline.scrollTop = Math.max(0, timeline.scrollTop - step);
      const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      times.push(now - last);
      rowsAdded.push(added);
      scrollEvents.push(scrolls);
      added = 0;
      scrolls = 0;
      last = now;
    }
    observer.disconnect();
    listening.abort();
    return {
      times,
      rowsAdded,
      scrollEvents,
      rows: document.querySelectorAll('.timeline__row').length,
      longTasks: long.filter((at) => at >= from).length,
    };
  }, options.scrollFrames);
  const scrolled = await work(cdp);
  if (options.profile) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(
      options.profile.replace(/(\.cpuprofile)?$/, '-scroll.cpuprofile'),
      JSON.stringify(profile),
    );
  }
  await cdp.detach();
  return {
    firstPaintMs,
    frames: result.times,
    rowsAdded: result.rowsAdded,
    scrollEvents: result.scrollEvents,
    domRows: result.rows,
    loadWork: minus(painted, start),
    scrollWork: minus(scrolled, painted),
    scrollLongTasks: result.longTasks,
    phases,
  };
}
