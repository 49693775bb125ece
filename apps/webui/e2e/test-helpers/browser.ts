import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * One headless Chromium per test file, with a profile in a scratch directory
 * (removed again when the launch fails); `args` adds Chromium flags (the fake
 * microphone of the voice test).
 */
export async function launchBrowser(
  options: { executablePath?: string; args?: string[] } = {},
): Promise<Browser & AsyncDisposable> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'switchboard-chromium-'));
  const browser = await launch(home, options.executablePath ?? CHROMIUM, options.args ?? []).catch(
    (error: unknown) => {
      rmSync(home, { recursive: true, force: true });
      throw error;
    },
  );
  return Object.assign(browser, {
    async [Symbol.asyncDispose]() {
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    },
  });
}

function launch(home: string, executablePath: string, extraArgs: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // No DNS at all: the tests use 127.0.0.1 only.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      ...extraArgs,
    ],
  });
}

/** A page of a fresh context (its own sessionStorage), desktop or phone, light or dark. */
export async function openPage(
  browser: Browser,
  options: {
    phone?: boolean;
    dark?: boolean;
    /** Overrides the phone or desktop size (e.g. 360 px wide, the narrowest supported). */
    viewport?: { width: number; height: number };
  } = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    viewport:
      options.viewport ??
      (options.phone ? { width: 390, height: 844 } : { width: 1280, height: 800 }),
    colorScheme: options.dark ? 'dark' : 'light',
    reducedMotion: 'reduce',
    ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return { page, context };
}
