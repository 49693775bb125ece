import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startE2eSetup } from './test-helpers/e2e-setup.js';
import { e2eScript } from './test-helpers/model-script.js';
import type { E2eApp } from './test-helpers/web-app.js';

/** Whether something still answers HTTP at `url`. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

describe('e2e setup: a failure to start one part closes the other', () => {
  it('a browser that cannot launch leaves no web app or model server running', async () => {
    let started: E2eApp | undefined;
    await expect(
      startE2eSetup({
        app: { script: e2eScript },
        browser: { executablePath: '/nonexistent/chromium' },
        onApp: (app) => (started = app),
      }),
    ).rejects.toThrow(/nonexistent/);
    // The app did start (in parallel with the browser), and was ended again.
    expect(started).toBeDefined();
    const exit = await started!.app.exited;
    expect(exit.code != null || exit.signal != null).toBe(true);
    expect(await answers(started!.url)).toBe(false);
    expect(await answers(started!.model!.baseUrl)).toBe(false);
    expect(existsSync(started!.home)).toBe(false);
  });

  it('a web app that exits before listening closes the browser and its model server', async () => {
    let launched: Browser | undefined;
    await expect(
      startE2eSetup({
        // A port that is not a port: the server fails at startup.
        app: { script: e2eScript, env: { PORT: 'not-a-port' } },
        onBrowser: (browser) => (launched = browser),
      }),
    ).rejects.toThrow(/exited before listening|PORT|port/i);
    expect(launched).toBeDefined();
    expect(launched!.isConnected()).toBe(false);
  });
});
