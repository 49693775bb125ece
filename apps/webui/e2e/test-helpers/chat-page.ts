import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from './web-app.js';

/** Types `text` into the composer and presses Enter. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /^(Message|Steer the agent)$/ });
  await box.fill(text);
  await box.press('Enter');
}

/** The id of the session in the URL (`?session=`), once there is one. */
export async function sessionIdOf(page: Page): Promise<string> {
  await page.waitForURL(/[?&]session=/);
  return new URL(page.url()).searchParams.get('session')!;
}

/** Waits until the chat says the active run ended (any way). */
export async function runEnded(page: Page): Promise<void> {
  await page.waitForSelector('main.chat:not([data-run-status="running"])[data-run-status]');
}

/** Text of the last assistant message. */
export async function lastAnswer(page: Page): Promise<string> {
  return page.locator('.msg--assistant .msg__body').last().innerText();
}

/** Where the README's screenshots live (committed; refreshed with `WEBUI_DOCS_SCREENSHOTS=1`). */
export const DOCS_SCREENSHOTS = fileURLToPath(new URL('../../docs', import.meta.url));

/**
 * Saves a screenshot under test-results/screenshots; with `docs`, and when
 * `WEBUI_DOCS_SCREENSHOTS=1`, also as the README's picture in `docs/` (a
 * normal run never touches the committed files).
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { docs?: boolean } = {},
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (options.docs && process.env.WEBUI_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    copyFileSync(file, path.join(DOCS_SCREENSHOTS, `${name}.png`));
  }
}
