import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './test-helpers/axe.js';
import { openPage } from './test-helpers/browser.js';
import { startE2eSetup } from './test-helpers/e2e-setup.js';
import { lastAnswer, runEnded, screenshot, send, sessionIdOf } from './test-helpers/chat-page.js';
import { SLOW_WORDS, e2eScript, slowChunks } from './test-helpers/model-script.js';
import type { E2eApp } from './test-helpers/web-app.js';

/** The full text of a `slow` answer, as the model streams it. */
const SLOW_TEXT = slowChunks(SLOW_WORDS).join('').trim();

describe('the chat UI in Chromium, against the built server and the testkit model', () => {
  let app: E2eApp;
  let browser: Browser & AsyncDisposable;
  const pages: Page[] = [];

  beforeAll(async () => {
    ({ app, browser } = await startE2eSetup({ app: { script: e2eScript } }));
  });
  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    await app?.[Symbol.asyncDispose]();
  });

  async function page(options: { phone?: boolean; dark?: boolean } = {}): Promise<Page> {
    const opened = await openPage(browser, options);
    const errors: string[] = [];
    opened.page.on('pageerror', (error) => errors.push(error.message));
    pages.push(opened.page);
    Object.assign(opened.page, { errors });
    return opened.page;
  }

  it('sends with Enter and streams a markdown answer: no raw HTML, safe links, code with copy; reasoning with its duration', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'hello there');
    await sessionIdOf(tab);
    // The user message shows at once; the answer streams in, then completes.
    await tab.getByText('hello there').waitFor();
    await runEnded(tab);
    const answer = tab.locator('.msg--assistant').last();
    expect(await answer.getAttribute('data-status')).toBe('completed');
    await answer.getByRole('heading', { name: 'Result' }).waitFor();
    expect(await answer.locator('table td').allInnerTexts()).toEqual(['alpha', '1', 'beta', '2']);
    // Raw HTML from the model is shown as text, never run.
    expect(await answer.innerText()).toContain('<img src=x onerror="window.__xss=1">');
    expect(await answer.locator('img').count()).toBe(0);
    expect(await tab.evaluate(() => 'window.__xss' in window || '__xss' in window)).toBe(false);
    const link = answer.getByRole('link', { name: 'safe link' });
    expect(await link.getAttribute('href')).toBe('https://example.com');
    expect(await link.getAttribute('rel')).toContain('noopener');
    // A highlighted code block with its copy button.
    await answer.locator('.code-block .sh-keyword').first().waitFor();
    expect(await answer.locator('.code-block code').innerText()).toContain(
      'const answer: number = 42;',
    );
    await answer.getByRole('button', { name: 'Copy code' }).waitFor();
    // Reasoning: collapsed, with how long it took.
    const reasoning = tab.locator('.reasoning').last();
    expect(await reasoning.locator('summary').innerText()).toMatch(/^Thought for \d+/);
    // The meter counted the turn.
    expect(await tab.locator('.meter').innerText()).toContain('Turn: 120 in · 48 out');
    // The title the server generates after the first exchange arrives live.
    await tab.getByRole('heading', { name: 'A test chat' }).waitFor();
    await tab
      .getByRole('navigation', { name: 'Sessions' })
      .locator('li.session--active', { hasText: 'A test chat' })
      .waitFor();

    expect(await seriousViolations(tab)).toEqual([]);
    await screenshot(tab, 'chat-desktop-light');
  });

  it('streams visibly (the text grows while the status is streaming), then Esc cancels; the partial text stays marked and a new message runs at once', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'slow one');
    const answer = tab.locator('.msg--assistant[data-status="streaming"]');
    await answer.waitFor();
    await tab.waitForFunction(() => {
      const body = document.querySelector('.msg--assistant[data-status="streaming"] .msg__body');
      return (body?.textContent ?? '').includes('word5 ');
    });
    const early = await answer.innerText();
    await tab.waitForFunction(
      (length) =>
        (document.querySelector('.msg--assistant .msg__body')?.textContent ?? '').length >
        length + 10,
      early.length,
    );
    expect(await tab.locator('main.chat').getAttribute('data-run-status')).toBe('running');
    // The live meter: tokens per second from the view model while the answer streams.
    expect(await tab.getByTitle('Output tokens per second').innerText()).toMatch(/^\d+\.\d tok\/s/);
    await screenshot(tab, 'streaming-desktop-light');
    // Steer while it runs: the composer turns into a steer box.
    await tab.getByRole('button', { name: 'Steer' }).waitFor();
    await tab.keyboard.press('Escape');
    const cancelled = tab.locator('.msg--assistant[data-status="cancelled"]');
    await cancelled.waitFor();
    await cancelled.getByText('Cancelled').waitFor();
    const kept = await cancelled.locator('.msg__body').innerText();
    expect(kept.length).toBeGreaterThan(0);
    expect(SLOW_TEXT.startsWith(kept.trim())).toBe(true);
    // Send again at once: accepted, streams and completes.
    await send(tab, 'hello again');
    await tab.waitForFunction(
      () => document.querySelectorAll('.msg--assistant[data-status="completed"]').length === 1,
    );
    await runEnded(tab);
    expect(await lastAnswer(tab)).toContain('Result');
    expect(await cancelled.locator('.msg__body').innerText()).toBe(kept);
  });

  it('shows a tool card with its status, duration, arguments and output', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'tool please');
    const card = tab.locator('.tool[data-tool-call-id="call_lookup"]');
    await card.waitFor();
    await tab.locator('.tool[data-tool-call-id="call_lookup"][data-status="completed"]').waitFor();
    await runEnded(tab);
    expect(await card.locator('.tool__name').innerText()).toBe('lookup');
    expect(await card.locator('.badge').innerText()).toBe('done');
    expect(await card.locator('.tool__duration').innerText()).toMatch(/\d+ (ms|s)/);
    await card.getByText('Arguments').click();
    expect(await card.locator('.tool__pre').first().innerText()).toContain('"word": "switchboard"');
    await card.getByText('Output').click();
    expect(await card.locator('.tool__pre').last().innerText()).toContain(
      'the meaning of switchboard',
    );
    expect(await lastAnswer(tab)).toContain('Done: the tool answered.');
  });

  it('approves a tool: the card asks, Allow once runs it, the answer follows', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'deploy it');
    const approval = tab.getByRole('group', { name: 'Approve deploy?' });
    await approval.waitFor();
    // While it waits, the composer says why it cannot send.
    await tab.getByText('Answer the approval or question above to continue.').waitFor();
    expect(await seriousViolations(tab)).toEqual([]);
    await screenshot(tab, 'approval-desktop-light');
    await approval.getByRole('button', { name: 'Allow once' }).click();
    await tab.locator('.tool[data-tool-call-id="call_deploy"][data-status="completed"]').waitFor();
    await tab.getByTestId('timeline').getByText('Done: the tool answered.').waitFor();
    await runEnded(tab);
    expect(await tab.locator('.tool__decision').innerText()).toBe('Approved');
  });

  it('denies a tool with a reason', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'deploy again');
    const approval = tab.getByRole('group', { name: 'Approve deploy?' });
    await approval.getByRole('button', { name: 'Deny…' }).click();
    await approval.getByLabel('Reason (the agent sees it)').fill('not today');
    await approval.getByRole('button', { name: 'Deny', exact: true }).click();
    await tab.locator('.tool[data-tool-call-id="call_deploy"][data-status="denied"]').waitFor();
    expect(await tab.locator('.tool__decision').innerText()).toBe('Denied: not today');
  });

  it('answers a clarify question by its choice; the countdown runs until then', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'ask me');
    const question = tab.getByRole('group', { name: 'Question from the agent' });
    await question.getByText('Which colour?').waitFor();
    expect(await question.getByRole('timer').innerText()).toMatch(/left/);
    await question.getByRole('button', { name: 'blue' }).click();
    await question.getByText('You answered: blue').waitFor();
    await tab.getByTestId('timeline').getByText('Done: the tool answered.').waitFor();
    await runEnded(tab);
  });

  it('a 429 on every attempt ends in a banner with the code and the hint', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'fail now');
    const banner = tab.getByRole('alert').filter({ hasText: 'CORE_PROVIDER_RATE_LIMIT' });
    await banner.waitFor();
    expect(await banner.locator('.hint').innerText()).not.toBe('');
    await runEnded(tab);
    expect(await tab.locator('main.chat').getAttribute('data-run-status')).toBe('failed');
  });

  it('a reload mid-run loses and duplicates nothing', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'slow reload');
    const id = await sessionIdOf(tab);
    await tab.waitForFunction(() =>
      (document.querySelector('.msg--assistant .msg__body')?.textContent ?? '').includes('word10 '),
    );
    await tab.reload();
    expect(new URL(tab.url()).searchParams.get('session')).toBe(id);
    await tab.locator('.msg--assistant[data-status="completed"]').waitFor({ timeout: 60_000 });
    expect((await lastAnswer(tab)).trim()).toBe(SLOW_TEXT);
    expect(await tab.locator('.msg--user').count()).toBe(1);
  });

  it('a reload starts from the stored view and streams only the events after it (no replay)', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'hello stored view');
    const id = await sessionIdOf(tab);
    await runEnded(tab);
    const answer = await lastAnswer(tab);
    // What the reloaded page asks for: the session (with its view) and the stream's cursor.
    const heads: number[] = [];
    const cursors: string[] = [];
    tab.on('response', (response) => {
      if (new URL(response.url()).pathname !== `/api/sessions/${id}`) return;
      if (response.request().method() !== 'GET') return;
      void response.json().then((body: { headSeq?: number }) => heads.push(body.headSeq ?? -1));
    });
    tab.on('request', (request) => {
      if (new URL(request.url()).pathname === `/api/sessions/${id}/events`)
        cursors.push(request.headers()['last-event-id'] ?? 'none');
    });
    await tab.reload();
    await tab.locator('.connection[data-connection="live"]').waitFor();
    expect(await lastAnswer(tab)).toBe(answer);
    expect(await tab.locator('.msg--user').count()).toBe(1);
    expect(heads.length).toBeGreaterThanOrEqual(1);
    expect(heads[0]).toBeGreaterThan(0);
    // The stream continues after the stored view's last event, not from 0.
    expect(cursors[0]).toBe(String(heads[0]));
  });

  it('two tabs on one session both stay live and see the same answer', async () => {
    const first = await page();
    await first.goto(app.url);
    await send(first, 'patient twins');
    const id = await sessionIdOf(first);
    const second = await page();
    await second.goto(`${app.url}/?session=${id}`);
    await second.locator('.msg--assistant[data-status="streaming"]').waitFor();
    for (const tab of [first, second])
      await tab.locator('.msg--assistant[data-status="completed"]').waitFor({ timeout: 60_000 });
    expect((await lastAnswer(first)).trim()).toBe(SLOW_TEXT);
    expect((await lastAnswer(second)).trim()).toBe(SLOW_TEXT);
  });

  it('switching sessions mid-run and back keeps every token; back and forward follow', async () => {
    const tab = await page();
    await tab.goto(app.url);
    await send(tab, 'slow switch');
    const first = await sessionIdOf(tab);
    await tab.waitForFunction(() =>
      (document.querySelector('.msg--assistant .msg__body')?.textContent ?? '').includes('word5 '),
    );
    const before = await lastAnswer(tab);
    await tab.getByRole('button', { name: '+ New chat' }).click();
    await tab.waitForURL((url) => !url.searchParams.has('session'));
    await send(tab, 'hello second');
    await tab.waitForURL((url) => url.searchParams.get('session') !== first);
    const second = await sessionIdOf(tab);
    await runEnded(tab);
    // Back to the first session: what was rendered is there at once, and it finishes.
    await tab.goBack();
    await tab.waitForURL((url) => !url.searchParams.has('session'));
    await tab.goBack();
    await tab.waitForURL((url) => url.searchParams.get('session') === first);
    expect((await lastAnswer(tab)).length).toBeGreaterThanOrEqual(before.length);
    await tab.locator('.msg--assistant[data-status="completed"]').waitFor({ timeout: 60_000 });
    expect((await lastAnswer(tab)).trim()).toBe(SLOW_TEXT);
    await tab.goForward();
    await tab.goForward();
    await tab.waitForURL((url) => url.searchParams.get('session') === second);
    expect(await lastAnswer(tab)).toContain('Result');
  });

  it('light and dark, desktop and phone: screenshots and axe on the main screens', async () => {
    const seed = await page();
    await seed.goto(app.url);
    await send(seed, 'tool for the screenshots');
    const id = await sessionIdOf(seed);
    await runEnded(seed);
    await send(seed, 'hello for the screenshots');
    await runEnded(seed);
    for (const [name, options] of [
      ['chat-desktop-dark', { dark: true }],
      ['chat-phone-light', { phone: true }],
      ['chat-phone-dark', { phone: true, dark: true }],
    ] as const) {
      const tab = await page(options);
      await tab.goto(`${app.url}/?session=${id}`);
      await tab.locator('.msg--assistant[data-status="completed"]').nth(1).waitFor();
      await tab.locator('.code-block .sh-keyword').first().waitFor();
      expect(await seriousViolations(tab)).toEqual([]);
      await screenshot(tab, name);
      if (options.phone) {
        await tab.getByRole('button', { name: 'Sessions' }).click();
        await tab.getByRole('navigation', { name: 'Sessions' }).waitFor();
        expect(await seriousViolations(tab)).toEqual([]);
        await screenshot(tab, `${name.replace('chat', 'sessions')}`);
      }
    }
    const help = await page();
    await help.goto(app.url);
    await help.locator('.composer').waitFor();
    await help.keyboard.press('?');
    await help.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    expect(await seriousViolations(help)).toEqual([]);
    await screenshot(help, 'help-desktop-light');
    for (const tab of pages) expect((tab as Page & { errors: string[] }).errors).toEqual([]);
  });
});
