import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './test-helpers/axe.js';
import { launchBrowser, openPage } from './test-helpers/browser.js';
import { lastAnswer, runEnded, screenshot, send, sessionIdOf } from './test-helpers/chat-page.js';
import { e2eScript } from './test-helpers/model-script.js';
import { solidPng } from './test-helpers/png.js';
import { startE2eApp } from './test-helpers/web-app.js';

const TOKEN = 'e2e-token-0123456789abcdef';

describe('the chat UI when the server restarts, has no model, or needs a token', () => {
  let browser: Browser & AsyncDisposable;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
  });

  it('server killed mid-run and restarted: the page reconnects by itself, the partial answer stays marked interrupted, and the chat goes on', async () => {
    await using app = await startE2eApp({ script: e2eScript });
    const { page } = await openPage(browser);
    await page.goto(app.url);
    await send(page, 'slow before the crash');
    const id = await sessionIdOf(page);
    await page.waitForFunction(() =>
      (document.querySelector('.msg--assistant .msg__body')?.textContent ?? '').includes('word8 '),
    );
    await app.restart();
    // The stream comes back on its own; the cut-off run shows its real end.
    await page.locator('.msg--assistant[data-status="interrupted"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-stop-reason="interrupted"]').waitFor();
    await page.locator('[data-connection="live"]').waitFor();
    const kept = await lastAnswer(page);
    expect(kept).toContain('word8');
    expect(new URL(page.url()).searchParams.get('session')).toBe(id);
    await send(page, 'hello after the restart');
    await page.locator('.msg--assistant[data-status="completed"]').waitFor();
    await runEnded(page);
    expect(await lastAnswer(page)).toContain('Result');
    expect(await page.locator('.msg--user').count()).toBe(2);
  });

  it('no model: an empty state that names the variables to set (the server hint included)', async () => {
    await using app = await startE2eApp({ noModel: true });
    for (const dark of [false, true]) {
      const { page } = await openPage(browser, { dark });
      await page.goto(app.url);
      await page.getByRole('heading', { name: 'No model configured' }).waitFor();
      const text = await page.locator('main').innerText();
      for (const variable of ['SWITCHBOARD_MODEL', 'SWITCHBOARD_BASE_URL', 'OPENAI_API_KEY'])
        expect(text).toContain(variable);
      expect(await page.locator('.composer').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `no-model-desktop-${dark ? 'dark' : 'light'}`);
    }
  });

  it('token login: the API answers 401, the prompt takes the token for this tab, a wrong one is refused, then the chat streams with it', async () => {
    await using app = await startE2eApp({ script: e2eScript, env: { SWITCHBOARD_TOKEN: TOKEN } });
    const { page, context } = await openPage(browser, { phone: true });
    await page.goto(app.url);
    const dialog = page.getByRole('dialog', { name: 'Sign in to Switchboard' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'login-phone-light');
    await dialog.getByLabel('Access token').fill('wrong-token-0123456789');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.getByText('The server refused this token.').waitFor();
    await dialog.getByLabel('Access token').fill(TOKEN);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // An attachment uploads with the token, and its image loads back with it too
    // (an <img src> alone sends no header: the server would answer 401).
    await page.locator('input[type="file"]').setInputFiles({
      name: 'red.png',
      mimeType: 'image/png',
      buffer: solidPng([220, 40, 40]),
    });
    await page.locator('.chip--ready').waitFor();
    await send(page, 'hello with a token');
    await page.locator('.msg--assistant[data-status="completed"]').waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.msg--user .msg__attachments img')].some(
        (img) => img.complete && img.naturalWidth === 16 && img.src.startsWith('data:image/png'),
      ),
    );
    // What a plain <img src> would get: the same route without the header is refused.
    const plain = await page.evaluate(
      async (id) => (await fetch(`/api/attachments/${id}`)).status,
      '0'.repeat(64),
    );
    expect(plain).toBe(401);
    expect(await page.evaluate(() => sessionStorage.getItem('switchboard.token'))).toBe(TOKEN);
    // A reload keeps the token for the tab; a new tab (context) asks again.
    await page.reload();
    await page.locator('.msg--assistant[data-status="completed"]').waitFor();
    await context.close();
    const other = await openPage(browser);
    await other.page.goto(app.url);
    await other.page.getByRole('dialog', { name: 'Sign in to Switchboard' }).waitFor();
  });
});
