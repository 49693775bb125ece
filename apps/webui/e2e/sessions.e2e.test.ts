import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './test-helpers/axe.js';
import { openPage } from './test-helpers/browser.js';
import { startE2eSetup } from './test-helpers/e2e-setup.js';
import { runEnded, screenshot, send, sessionIdOf } from './test-helpers/chat-page.js';
import { e2eScript } from './test-helpers/model-script.js';
import type { E2eApp } from './test-helpers/web-app.js';

describe('sessions in Chromium: live titles, rename, search, delete with undo', () => {
  let app: E2eApp;
  let browser: Browser & AsyncDisposable;

  beforeAll(async () => {
    ({ app, browser } = await startE2eSetup({ app: { script: e2eScript } }));
  });
  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    await app?.[Symbol.asyncDispose]();
  });

  const page = async (options: { phone?: boolean; dark?: boolean } = {}): Promise<Page> =>
    (await openPage(browser, options)).page;
  const status = async (id: string) =>
    (await fetch(`${app.url}/api/sessions/${encodeURIComponent(id)}`)).status;

  it('the generated title and a rename reach every tab live; search finds the renamed session', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'hello to rename');
    const id = await sessionIdOf(tab);
    await runEnded(tab);
    const sidebar = tab.getByRole('navigation', { name: 'Sessions' });
    // The generated title first (so it cannot land after the rename).
    const entry = sidebar.locator('li.session--active', { hasText: 'A test chat' });
    await entry.waitFor();
    const other = await page();
    await other.goto(`${app.url}/?session=${id}`);
    await other.getByRole('heading', { name: 'A test chat' }).waitFor();

    await entry.getByRole('button', { name: /^Rename/ }).click();
    await sidebar.getByLabel('New title').fill('Renamed chat');
    await sidebar.getByLabel('New title').press('Enter');
    await sidebar.getByText('Renamed chat').waitFor();
    await tab.getByRole('heading', { name: 'Renamed chat' }).waitFor();
    // The other tab hears it on its event stream: heading and list.
    await other.getByRole('heading', { name: 'Renamed chat' }).waitFor();
    await other
      .getByRole('navigation', { name: 'Sessions' })
      .locator('li.session--active', { hasText: 'Renamed chat' })
      .waitFor();
    // It stays renamed across a reload (the server has it).
    await tab.reload();
    await tab.getByRole('heading', { name: 'Renamed chat' }).waitFor();

    await tab.keyboard.press('Control+k');
    await sidebar.getByLabel('Search sessions').fill('Renamed');
    await tab.waitForFunction(() => document.querySelectorAll('.sidebar__list li').length === 1);
    await sidebar.getByLabel('Search sessions').fill('');
  });

  it('delete takes one click and can be undone; the delete reaches the server only after the undo window', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'hello to delete');
    const id = await sessionIdOf(tab);
    await runEnded(tab);
    const sidebar = tab.getByRole('navigation', { name: 'Sessions' });
    const row = sidebar.locator(`li:has(a[href="?session=${id}"])`);
    await row.locator('.session__title', { hasText: 'A test chat' }).waitFor();

    await row.getByRole('button', { name: /^Delete/ }).click();
    // Gone from the list and closed at once; nothing asked; the server still has it.
    await tab.waitForURL((url) => !url.searchParams.has('session'));
    await row.waitFor({ state: 'detached' });
    const toast = tab.locator(`.toast[data-session-id="${id}"]`);
    expect(await toast.innerText()).toContain('Deleted “A test chat”.');
    expect(await status(id)).toBe(200);
    expect(await seriousViolations(tab)).toEqual([]);
    await screenshot(tab, 'delete-undo-desktop-light', { docs: true });

    // Undo: back in the list, opened again, with its messages.
    await toast.getByRole('button', { name: 'Undo' }).click();
    await tab.waitForURL((url) => url.searchParams.get('session') === id);
    await row.waitFor();
    await tab.getByText('hello to delete').waitFor();
    await toast.waitFor({ state: 'detached' });

    // Delete again and let the window pass: now the server forgets it.
    await row.getByRole('button', { name: /^Delete/ }).click();
    await toast.waitFor();
    await toast.waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => status(id), { timeout: 10_000 }).toBe(404);
    await tab.reload();
    await tab.getByRole('navigation', { name: 'Sessions' }).waitFor();
    expect(await tab.locator(`a[href="?session=${id}"]`).count()).toBe(0);
  });

  it('× on the notice deletes at once; a reload within the window does not bring it back', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'hello one');
    const first = await sessionIdOf(tab);
    await runEnded(tab);
    await tab.getByRole('button', { name: /New chat/ }).click();
    await tab.waitForURL((url) => !url.searchParams.has('session'));
    await send(tab, 'hello two');
    await tab.waitForURL(
      (url) => url.searchParams.has('session') && url.searchParams.get('session') !== first,
    );
    const second = new URL(tab.url()).searchParams.get('session')!;
    await runEnded(tab);
    const sidebar = tab.getByRole('navigation', { name: 'Sessions' });
    await sidebar
      .locator(`li:has(a[href="?session=${first}"]) button[aria-label^="Delete"]`)
      .click();
    await tab.getByRole('button', { name: /^Delete “.*” now$/ }).click();
    await expect.poll(() => status(first), { timeout: 10_000 }).toBe(404);
    // The open session was not the deleted one: it stays open.
    expect(new URL(tab.url()).searchParams.get('session')).toBe(second);

    await sidebar
      .locator(`li:has(a[href="?session=${second}"]) button[aria-label^="Delete"]`)
      .click();
    await tab.locator(`.toast[data-session-id="${second}"]`).waitFor();
    await tab.reload(); // pagehide sends the pending delete (keepalive)
    await expect.poll(() => status(second), { timeout: 10_000 }).toBe(404);
  });
});
