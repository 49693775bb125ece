import { expect } from 'vitest';
import { readEventsUntil, streamedText } from './read-events.js';
import type { TwoInstances } from './two-instances.js';
import { api } from './web-app-process.js';

/** The model's script: the first run stalls after "Partial answer so far"; the next answers "Back on B.". */
export const CUT_OFF_SCRIPT = [
  { text: ['Partial ', 'answer ', 'so far', ' never sent'], stallAfterChunks: 4 },
  { text: 'Back on B.' },
];

/** What A streamed before it died, as B's view shows it afterwards. */
export const CUT_OFF_TEXT = 'Partial answer so far';

/**
 * A run cut off by its instance dying (model on {@link CUT_OFF_SCRIPT}): a
 * session made on A, a run started there (`long one`), followed on B until
 * the partial text is durable in the shared log, then A SIGKILLed.
 */
export async function cutOffRunOnA(
  apps: TwoInstances,
): Promise<{ sessionId: string; runId: string }> {
  const created = await api(apps.urlA, '/api/sessions', { body: {} });
  expect(created.status).toBe(201);
  const sessionId = created.json.id as string;
  const run = await api(apps.urlA, `/api/sessions/${sessionId}/runs`, {
    body: { input: 'long one' },
  });
  expect(run.status, JSON.stringify(run.json)).toBe(202);
  const seen = await readEventsUntil(apps.urlB, sessionId, {
    until: (event) =>
      event.type === 'message.delta' && (event.data as { delta: string }).delta === 'so far',
  });
  expect(streamedText(seen)).toBe(CUT_OFF_TEXT);
  expect(await apps.a.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
  return { sessionId, runId: run.json.runId as string };
}
