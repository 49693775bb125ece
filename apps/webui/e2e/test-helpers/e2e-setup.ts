import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startE2eApp, type E2eApp } from './web-app.js';

/** The web app and a browser, started together and closed together. */
export interface E2eSetup extends AsyncDisposable {
  readonly app: E2eApp;
  readonly browser: Browser & AsyncDisposable;
}

/**
 * Starts the web app (with its model server) and Chromium at the same time. If
 * either fails, the one that started is closed before the error is thrown, so
 * a browser that cannot launch leaves no server process behind (and the other
 * way round). Disposing closes the browser first, then the app.
 */
export async function startE2eSetup(
  options: {
    app?: Parameters<typeof startE2eApp>[0];
    browser?: Parameters<typeof launchBrowser>[0];
    /** Sees the app as soon as it listens (tests of this helper check it is gone after a failure). */
    onApp?: (app: E2eApp) => void;
    /** Sees the browser as soon as it runs (for the same tests). */
    onBrowser?: (browser: Browser) => void;
  } = {},
): Promise<E2eSetup> {
  const [app, browser] = await Promise.allSettled([
    startE2eApp(options.app).then((started) => {
      options.onApp?.(started);
      return started;
    }),
    launchBrowser(options.browser).then((launched) => {
      options.onBrowser?.(launched);
      return launched;
    }),
  ]);
  if (app.status === 'fulfilled' && browser.status === 'fulfilled') {
    return {
      app: app.value,
      browser: browser.value,
      async [Symbol.asyncDispose]() {
        await closeAll([browser.value, app.value]);
      },
    };
  }
  await closeAll([
    ...(browser.status === 'fulfilled' ? [browser.value] : []),
    ...(app.status === 'fulfilled' ? [app.value] : []),
  ]);
  throw app.status === 'rejected' ? app.reason : (browser as PromiseRejectedResult).reason;
}

/** Closes each in order; every one is closed even when an earlier one fails to. */
async function closeAll(resources: readonly AsyncDisposable[]): Promise<void> {
  const errors: unknown[] = [];
  for (const resource of resources) {
    try {
      await resource[Symbol.asyncDispose]();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'closing the e2e setup failed');
}
