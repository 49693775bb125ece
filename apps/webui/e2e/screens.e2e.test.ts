import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './test-helpers/axe.js';
import { openPage } from './test-helpers/browser.js';
import { startE2eSetup } from './test-helpers/e2e-setup.js';
import { runEnded, screenshot, send, sessionIdOf } from './test-helpers/chat-page.js';
import { e2eScript } from './test-helpers/model-script.js';
import type { E2eApp } from './test-helpers/web-app.js';

/** The narrowest width the app supports. */
const NARROW = { width: 360, height: 740 };

/** Nothing wider than the viewport: no sideways scrolling anywhere on the page. */
const overflow = (tab: Page) =>
  tab.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the main screens (README pictures), down to 360 px', () => {
  let app: E2eApp;
  let browser: Browser & AsyncDisposable;
  let sessionId: string;

  beforeAll(async () => {
    ({ app, browser } = await startE2eSetup({ app: { script: e2eScript } }));
    // A session with a tool call, a markdown answer with reasoning and code, and two turns.
    const { page } = await openPage(browser);
    await page.goto(app.url);
    await send(page, 'tool for the pictures');
    sessionId = await sessionIdOf(page);
    await runEnded(page);
    await send(page, 'hello for the pictures');
    await page.locator('.msg--assistant[data-status="completed"]').nth(1).waitFor();
    await runEnded(page);
    await page.context().close();
  });
  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    await app?.[Symbol.asyncDispose]();
  });

  async function openSession(options: Parameters<typeof openPage>[1]): Promise<Page> {
    const { page } = await openPage(browser, options);
    await page.goto(`${app.url}/?session=${sessionId}`);
    await page.locator('.msg--assistant[data-status="completed"]').nth(1).waitFor();
    await page.locator('.code-block .sh-keyword').first().waitFor();
    await page.getByRole('img', { name: 'Tokens per turn, last 2' }).waitFor();
    return page;
  }

  it('desktop, light and dark: the chat with its tool card, markdown, meter and per-turn chart', async () => {
    for (const dark of [false, true]) {
      const tab = await openSession({ dark });
      expect(await overflow(tab)).toBe(0);
      expect(await seriousViolations(tab)).toEqual([]);
      await screenshot(tab, `screen-chat-desktop-${dark ? 'dark' : 'light'}`, { docs: true });
      // The chart opens into each turn's numbers.
      await tab.locator('.turn-chart summary').click();
      const rows = tab.locator('.turn-chart__table tbody tr');
      expect(await rows.count()).toBe(2);
      expect(await rows.nth(1).innerText()).toMatch(/^2\s+120\s+48\s+—\s+[\d.]+ (ms|s)$/);
      if (!dark) await screenshot(tab, 'screen-turn-chart-desktop-light', { docs: true });
      await tab.context().close();
    }
  });

  it('360 px wide: no sideways scrolling, the composer fits, the sessions open as a drawer; axe-clean', async () => {
    for (const dark of [false, true]) {
      const tab = await openSession({ viewport: NARROW, dark });
      expect(await overflow(tab)).toBe(0);
      const send = await tab.getByRole('button', { name: 'Send' }).boundingBox();
      expect(send!.x + send!.width).toBeLessThanOrEqual(NARROW.width);
      expect(send!.y + send!.height).toBeLessThanOrEqual(NARROW.height);
      expect(await seriousViolations(tab)).toEqual([]);
      await screenshot(tab, `screen-chat-360-${dark ? 'dark' : 'light'}`, { docs: !dark });
      // The sidebar is a drawer: closed, then open over the chat, still within the width.
      const sessions = tab.getByRole('navigation', { name: 'Sessions' });
      expect(await sessions.locator('a[aria-current="page"]').isVisible()).toBe(false);
      await tab.getByRole('button', { name: 'Sessions' }).click();
      await sessions.locator('a[aria-current="page"]').waitFor({ state: 'visible' });
      expect(await overflow(tab)).toBe(0);
      if (!dark) await screenshot(tab, 'screen-sessions-360-light', { docs: true });
      await tab.context().close();
    }
  });

  it('the shortcut help dialog lists the keys and closes with Escape', async () => {
    const tab = await openSession({});
    await tab.locator('body').press('?');
    const dialog = tab.getByRole('dialog', { name: /shortcuts/i });
    await dialog.waitFor();
    const text = await dialog.innerText();
    for (const key of ['Enter', 'Shift', 'Esc', 'Ctrl']) expect(text).toContain(key);
    expect(await seriousViolations(tab)).toEqual([]);
    await screenshot(tab, 'screen-shortcuts-desktop-light', { docs: true });
    await tab.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });
});
