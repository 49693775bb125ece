import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './test-helpers/axe.js';
import { openPage } from './test-helpers/browser.js';
import { startE2eSetup } from './test-helpers/e2e-setup.js';
import { runEnded, screenshot, send, sessionIdOf } from './test-helpers/chat-page.js';
import { e2eScript, lastUserText } from './test-helpers/model-script.js';
import { solidPng } from './test-helpers/png.js';
import type { E2eApp } from './test-helpers/web-app.js';

const RED = solidPng([220, 40, 40]);
const GREEN = solidPng([40, 180, 60]);
const BLUE = solidPng([40, 80, 220]);

/** Drops `files` (base64 PNGs) on the page, as a file manager would. */
async function dropImages(tab: Page, files: { name: string; png: Buffer }[]): Promise<void> {
  await tab.evaluate(
    (items) => {
      const data = new DataTransfer();
      for (const item of items) {
        const bytes = Uint8Array.from(atob(item.base64), (char) => char.charCodeAt(0));
        data.items.add(new File([bytes], item.name, { type: 'image/png' }));
      }
      const target = document.querySelector('main.chat')!;
      const init = { dataTransfer: data, bubbles: true, cancelable: true };
      target.dispatchEvent(new DragEvent('dragenter', init));
      target.dispatchEvent(new DragEvent('dragover', init));
      target.dispatchEvent(new DragEvent('drop', init));
    },
    files.map((file) => ({ name: file.name, base64: file.png.toString('base64') })),
  );
}

/** Pastes an image into the message box, as a screenshot tool's clipboard would. */
async function pasteImage(tab: Page, name: string, png: Buffer): Promise<void> {
  await tab.evaluate(
    ([fileName, base64]) => {
      const bytes = Uint8Array.from(atob(base64!), (char) => char.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], fileName!, { type: 'image/png' }));
      const box = document.querySelector<HTMLTextAreaElement>('.composer__input')!;
      box.focus();
      box.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    },
    [name, png.toString('base64')],
  );
}

describe('the composer in Chromium: attachments and the model picker, against the real server', () => {
  let app: E2eApp;
  let browser: Browser & AsyncDisposable;

  beforeAll(async () => {
    ({ app, browser } = await startE2eSetup({
      app: {
        script: e2eScript,
        // A second model sessions may pick (same test server, another name).
        configFile: { models: ['openai-compatible:other-model'] },
      },
    }));
  });
  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    await app?.[Symbol.asyncDispose]();
  });

  const page = async (options: { phone?: boolean; dark?: boolean } = {}): Promise<Page> =>
    (await openPage(browser, options)).page;
  /** The chat turns the model was asked (title calls left out), by the user's words. */
  const turnRequests = (words: string) =>
    app.model!.requests.filter((request) => lastUserText(request).startsWith(words));

  it('the server has attachments and two models (/api/config)', async () => {
    const config = (await (await fetch(`${app.url}/api/config`)).json()) as {
      models: string[];
      features: Record<string, boolean>;
    };
    expect(config.features.attachments).toBe(true);
    expect(config.models).toEqual([
      'openai-compatible:test-model',
      'openai-compatible:other-model',
    ]);
  });

  it('attaches by the paperclip, by drop and by paste: previews, uploads, and the model gets every image', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await tab.locator('input[type="file"]').setInputFiles({
      name: 'red.png',
      mimeType: 'image/png',
      buffer: RED,
    });
    await dropImages(tab, [{ name: 'green.png', png: GREEN }]);
    await pasteImage(tab, 'blue.png', BLUE);
    const chips = tab.getByRole('list', { name: 'Attachments to send' }).locator('li');
    await expect.poll(() => chips.count()).toBe(3);
    expect(await chips.locator('.chip__name').allInnerTexts()).toEqual([
      'red.png',
      'green.png',
      'blue.png',
    ]);
    // Each preview is the local image itself, decoded (not a broken icon: the server's
    // Content-Security-Policy blocks blob: images, so previews are data: URLs).
    await tab.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLImageElement>('.chip__preview')].filter(
          (img) =>
            img.complete && img.naturalWidth === 16 && img.src.startsWith('data:image/png;base64,'),
        ).length === 3,
    );
    await tab.locator('.chip--ready').nth(2).waitFor();
    expect(await seriousViolations(tab)).toEqual([]);
    await screenshot(tab, 'attachments-desktop-light', { docs: true });

    // Removing one drops it from the message.
    await tab.getByRole('button', { name: 'Remove green.png' }).click();
    await expect.poll(() => chips.count()).toBe(2);
    await send(tab, 'hello with pictures');
    await sessionIdOf(tab);
    await runEnded(tab);
    await tab.getByRole('list', { name: 'Attachments to send' }).waitFor({ state: 'detached' });
    // The user message shows what was sent, served back by the server.
    const sent = tab.locator('.msg--user').last().locator('.msg__attachments img');
    await expect.poll(() => sent.count()).toBe(2);
    for (const src of await sent.evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src'))))
      expect(src).toMatch(/^\/api\/attachments\/[0-9a-f]{64}$/);
    await tab.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.msg--user .msg__attachments img')].every(
        (img) => img.complete && img.naturalWidth === 16,
      ),
    );
    // The model saw both images, and not the removed one.
    const body = JSON.stringify(turnRequests('hello with pictures')[0]!.body);
    expect(body).toContain(RED.toString('base64'));
    expect(body).toContain(BLUE.toString('base64'));
    expect(body).not.toContain(GREEN.toString('base64'));
  });

  it('the model picker lists /api/config’s models; a new chat and a switched session use the pick', async () => {
    const tab = await page();
    await tab.goto(app.url);
    const picker = tab.getByRole('combobox', { name: 'Model' });
    // The options come from /api/config, which may answer after the first render.
    await expect
      .poll(() => picker.locator('option').allInnerTexts(), { timeout: 30_000 })
      .toEqual(['openai-compatible:test-model', 'openai-compatible:other-model']);
    expect(await picker.inputValue()).toBe('openai-compatible:test-model');
    await picker.selectOption('openai-compatible:other-model');
    await send(tab, 'hello from the other model');
    const id = await sessionIdOf(tab);
    await runEnded(tab);
    expect(turnRequests('hello from the other model')[0]!.body).toMatchObject({
      model: 'other-model',
    });
    const session = (await (await fetch(`${app.url}/api/sessions/${id}`)).json()) as {
      model?: string;
      session?: { model?: string };
    };
    expect(JSON.stringify(session)).toContain('openai-compatible:other-model');
    // A reload (or a link) shows the session's model, not the server's default.
    await tab.reload();
    await tab.getByText('hello from the other model').waitFor();
    await expect.poll(() => picker.inputValue()).toBe('openai-compatible:other-model');

    // Back to the first model on the open session: the next turn uses it.
    await picker.selectOption('openai-compatible:test-model');
    await expect
      .poll(async () => JSON.stringify(await (await fetch(`${app.url}/api/sessions/${id}`)).json()))
      .toContain('"openai-compatible:test-model"');
    await send(tab, 'hello back on the test model');
    await runEnded(tab);
    await tab.getByText('hello back on the test model').waitFor();
    await expect.poll(() => turnRequests('hello back on the test model').length).toBe(1);
    expect(turnRequests('hello back on the test model')[0]!.body).toMatchObject({
      model: 'test-model',
    });
    await tab.reload();
    await expect.poll(() => picker.inputValue()).toBe('openai-compatible:test-model');
  });
});
