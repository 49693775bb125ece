// The seed inventory's error cases T21 and T22 (research/001-inventory.md §10 B)
// over the HTTP API. T20 (the classification table) is agent-core's
// `provider-errors.test.ts`; T18 and T19 are in durability.test.ts.
import { MemorySessionStore } from '@switchboard/agent-core';
import { describe, expect, it } from 'vitest';
import { startListeningServer } from '../test-helpers/listening-server.js';
import { runEnded, storedEvents, waitForEvent } from '../test-helpers/test-server.js';

const OPENAI_KEY = 'sk-abcdefghijklmnopqrstuvwxyz123456';
const GITHUB_TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

describe('inventory B: errors', () => {
  it('T21 a key a provider echoes in its error is masked in events, the view, both exports and the store', async () => {
    const store = new MemorySessionStore();
    await using s = await startListeningServer(
      [
        {
          error: {
            status: 401,
            body: { error: { message: `Incorrect API key provided: ${OPENAI_KEY}` } },
          },
        },
      ],
      { agent: { store } },
    );
    const id = await s.newSession();
    const runId = await s.startRun(id, 'hi');
    const failed = await waitForEvent(s.t.log, id, runEnded(runId));
    expect(failed.type).toBe('run.failed');
    expect(failed.data).toMatchObject({ error: { code: 'CORE_PROVIDER_AUTH' } });
    const everywhere = JSON.stringify([
      await storedEvents(s.t.log, id),
      await (await fetch(`${s.base}/api/sessions/${id}`)).text(),
      await (await fetch(`${s.base}/api/sessions/${id}/export?format=jsonl`)).text(),
      await (await fetch(`${s.base}/api/sessions/${id}/export?format=markdown`)).text(),
      await store.load(id),
    ]);
    expect(everywhere).not.toContain(OPENAI_KEY);
    expect(everywhere).not.toContain('abcdefghijklmnopqrstuvwxyz');
  });

  it('T21 a GitHub token in a 5xx error body is masked; the user words stay as typed', async () => {
    // Source redaction covers errors, tool arguments and tool results by default
    // (agent-core's canary tests cover every kind and place).
    await using s = await startListeningServer([
      { error: { status: 500, body: { error: { message: `upstream said ${GITHUB_TOKEN}` } } } },
    ]);
    const id = await s.newSession();
    const runId = await s.startRun(id, 'what is wrong?');
    await waitForEvent(s.t.log, id, runEnded(runId));
    const stored = JSON.stringify(await storedEvents(s.t.log, id));
    expect(stored).not.toContain(GITHUB_TOKEN);
    expect(stored).toContain('what is wrong?');
  });

  it('T22 after a failed run (a rejected key), the next run succeeds cleanly: both user turns kept, the error shown but never sent', async () => {
    const store = new MemorySessionStore();
    await using s = await startListeningServer(
      [
        { error: { status: 401, body: { error: { message: 'invalid api key' } } } },
        { text: 'Hi!' },
      ],
      { agent: { store } },
    );
    const id = await s.newSession();
    const first = await s.startRun(id, 'hello');
    expect((await waitForEvent(s.t.log, id, runEnded(first))).type).toBe('run.failed');
    const second = await s.startRun(id, 'hello again');
    const finished = await waitForEvent(s.t.log, id, runEnded(second));
    expect(finished).toMatchObject({ type: 'run.finished', data: { stopReason: 'completed' } });
    const roles = (await store.load(id))!.transcript.map((entry) => [
      entry.message.role,
      entry.display.status,
    ]);
    // The failed run's error is an `error` entry: shown in the transcript, never sent.
    expect(roles).toEqual([
      ['user', 'complete'],
      ['assistant', 'error'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    const sent = JSON.stringify(s.t.model.requests[1]!.body);
    expect(sent).not.toContain('invalid api key');
    expect(sent).not.toContain('CORE_PROVIDER_AUTH');
  });
});
