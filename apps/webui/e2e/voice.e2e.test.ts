import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScriptedTurn } from '@switchboard/testkit';
import { SileroVad, mixAt, readWav, writeWav } from '@switchboard/voice-session';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from './test-helpers/browser.js';
import { lastUserText } from './test-helpers/model-script.js';
import { startE2eApp, type E2eApp } from './test-helpers/web-app.js';

declare global {
  interface Window {
    /** What the page's voice client scheduled for playback (with the capture flag set). */
    __switchboardVoiceCapture?: { chunks: Int16Array[]; clears: number };
  }
}

/** A committed espeak-ng clip of packages/voice-session (16 kHz mono). */
const clip = (name: string) =>
  readWav(path.join(import.meta.dirname, '../../../packages/voice-session/fixtures', `${name}.wav`))
    .pcm;

/** The long answer: about 15 s of speech, so there is time to speak over it. */
const WEATHER_ANSWER =
  'The weather in Paris is sunny and twenty one degrees, with a light breeze from the west. ' +
  'It should stay dry for the rest of the afternoon and the evening. ' +
  'Tomorrow morning will start cool and cloudy, and the sun comes back after lunch.';

const voiceScript = (request: Parameters<typeof lastUserText>[0]): ScriptedTurn => {
  const text = lastUserText(request);
  if (/weather/.test(text)) return { text: WEATHER_ANSWER };
  if (/tomorrow/.test(text)) return { text: 'Tomorrow it will rain in Paris.' };
  return { text: 'A test chat' };
};

describe('voice mode in Chromium with a fake microphone (offline voice stack, testkit model)', () => {
  let app: E2eApp;
  let browser: Browser & AsyncDisposable;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-voice-e2e-'));
    // Chromium loops the file: the question, the barge-in ~9 s later (while the long answer
    // plays), then silence long enough that the loop never comes back within the test.
    const mic = path.join(dir, 'mic.wav');
    writeWav(
      mic,
      mixAt(90_000, [
        { atMs: 1000, pcm: clip('weather') },
        { atMs: 10_000, pcm: clip('tomorrow') },
      ]),
      16_000,
    );
    [app, browser] = await Promise.all([
      startE2eApp({
        script: voiceScript,
        env: {
          SWITCHBOARD_VOICE: 'offline',
          SWITCHBOARD_VOICE_PHRASES: 'what is the weather in paris|no wait i meant tomorrow',
        },
      }),
      launchBrowser({
        args: [
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          `--use-file-for-fake-audio-capture=${mic}`,
          '--autoplay-policy=no-user-gesture-required',
        ],
      }),
    ]);
  });
  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    await app?.[Symbol.asyncDispose]();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the spoken question becomes a voice user message, the answer is spoken back, speaking over it interrupts it; after a server restart the page reconnects', async () => {
    const config = (await (await fetch(`${app.url}/api/config`)).json()) as {
      features: { voice: boolean };
    };
    expect(config.features.voice).toBe(true);
    const created = await fetch(`${app.url}/api/sessions`, { method: 'POST' });
    const { id } = (await created.json()) as { id: string };
    const { page } = await openPage(browser);
    page.setDefaultTimeout(60_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(() => localStorage.setItem('switchboard.voice.capture', '1'));
    await page.goto(`${app.url}/?session=${id}`);

    const button = page.getByRole('button', { name: 'Start voice mode' });
    await button.click();
    const stop = page.getByRole('button', { name: 'Stop voice mode' });
    expect(await stop.getAttribute('aria-pressed')).toBe('true');
    const state = page.locator('[data-voice-state]');

    // The question, as a user message in the chat (from the event stream's view).
    await page.locator('.msg--user', { hasText: 'what is the weather in paris' }).waitFor();
    // The agent speaks: the indicator follows voice.agent_state.
    await page.locator('[data-voice-state="speaking"]').waitFor();
    expect(await state.innerText()).toContain('Speaking');
    // Barge-in: the second phrase interrupts the answer, the page is told to drop its queue.
    await page.locator('.msg--user', { hasText: 'no wait i meant tomorrow' }).waitFor();
    await page.waitForFunction(() => (window.__switchboardVoiceCapture?.clears ?? 0) > 0);

    const exported = await (await fetch(`${app.url}/api/sessions/${id}/export`)).text();
    const events = exported
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> });
    const users = events.filter((event) => event.type === 'user.message');
    expect(users.map((event) => event.data.source)).toEqual(['voice', 'voice']);
    const interrupted = events.filter((event) => event.type === 'voice.speech_interrupted');
    expect(interrupted).toHaveLength(1);
    expect(String(interrupted[0]!.data.reason)).toMatch(/^user_/);
    const agentStates = events
      .filter((event) => event.type === 'voice.agent_state')
      .map((event) => event.data.state);
    const afterInterruption = agentStates.slice(agentStates.indexOf('speaking') + 1);
    expect(afterInterruption).toContain('listening');

    // The audio the page played holds speech (Silero over what was scheduled for playback).
    const samples = await page.evaluate(() =>
      (window.__switchboardVoiceCapture?.chunks ?? []).flatMap((chunk: Int16Array) => [...chunk]),
    );
    expect(samples.length).toBeGreaterThan(16_000); // more than a second of agent audio
    const vad = await SileroVad.load();
    const spans = await vad.speechSpans(Int16Array.from(samples));
    expect(spans.length).toBeGreaterThan(0);
    expect(spans[0]![1] - spans[0]![0]).toBeGreaterThan(500);

    // The server goes away (killed) and comes back: the page shows it reconnecting, opens a
    // new voice connection on its own (a new voice session on the server), and stays in voice mode.
    const restarted = app.restart();
    await page.locator('[data-voice-state="reconnecting"]').waitFor();
    expect(await state.innerText()).toContain('Reconnecting');
    await restarted;
    await page.locator('[data-voice-link="open"]').waitFor();
    expect(await stop.getAttribute('aria-pressed')).toBe('true');
    const afterRestart = (await (await fetch(`${app.url}/api/sessions/${id}/export`)).text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> })
      .filter((event) => event.type === 'voice.agent_state' && event.data.state === 'initializing');
    expect(afterRestart).toHaveLength(2);

    await stop.click();
    await page.getByRole('button', { name: 'Start voice mode' }).waitFor();
    expect(errors).toEqual([]);
  }, 240_000);
});
