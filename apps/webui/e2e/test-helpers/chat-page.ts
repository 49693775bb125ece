import { mkdirSync } from 'node:fs';
import path from 'node:path';
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

/** Saves a screenshot under test-results/screenshots. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}
