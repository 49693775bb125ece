// The seed inventory's concurrency and interactive cases not covered by the
// route and stream tests (research/001-inventory.md §10 D and E): a cancel
// that meets a checkpoint being written, and a cancel while the agent waits
// for an answer. INVENTORY.md maps every case to its test.
import { MemorySessionStore, type SessionCheckpoint } from '@switchboard/agent-core';
import { describe, expect, it } from 'vitest';
import { startListeningServer } from '../test-helpers/listening-server.js';
import { runEnded, waitForEvent } from '../test-helpers/test-server.js';

/** A store whose saves take a while, and which says when one is under way. */
class SlowStore extends MemorySessionStore {
  saving = 0;
  #onSaveStarted: (() => void) | undefined;

  /** Resolves when the next save starts. */
  nextSave(): Promise<void> {
    return new Promise((resolve) => (this.#onSaveStarted = resolve));
  }

  override async save(checkpoint: SessionCheckpoint) {
    this.saving += 1;
    this.#onSaveStarted?.();
    this.#onSaveStarted = undefined;
    try {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return await super.save(checkpoint);
    } finally {
      this.saving -= 1;
    }
  }
}

describe('inventory D and E: concurrency', () => {
  it('T33 a cancel that arrives while a checkpoint is being written loses neither: both end up stored', async () => {
    const store = new SlowStore();
    await using s = await startListeningServer(
      [{ text: Array.from({ length: 40 }, (_, i) => `w${i} `), delayMs: 60 }],
      { agent: { store } },
    );
    const id = await s.newSession();
    const runId = await s.startRun(id, 'stream');
    await waitForEvent(s.t.log, id, (e) => e.type === 'message.delta' && e.runId === runId);
    // The partial-answer checkpoint (at most a second after the first delta) starts: cancel during it.
    await store.nextSave();
    expect(store.saving).toBe(1);
    const cancelled = await s.post(`/api/sessions/${id}/runs/${runId}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { cancelled: true } });
    await waitForEvent(s.t.log, id, runEnded(runId));
    const snapshot = (await store.load(id))!;
    expect(snapshot.status).toBe('idle');
    expect(snapshot.activeRun).toBeUndefined();
    const entries = snapshot.transcript.map((entry) => [entry.message.role, entry.display.status]);
    expect(entries).toEqual([
      ['user', 'complete'],
      ['assistant', 'partial'],
    ]);
    // The session takes a new run at once: nothing is left half-written.
    expect((await s.post(`/api/sessions/${id}/runs`, { input: 'next' })).status).toBe(202);
  });

  it('T36 a cancel while the agent waits for an answer ends the run at once and withdraws the question', async () => {
    await using s = await startListeningServer(
      [
        {
          toolCalls: [
            { id: 'q1', name: 'ask_user', args: { question: 'Which?', choices: ['a', 'b'] } },
          ],
        },
      ],
      { agent: { clarify: { timeoutMs: 120_000 } } },
    );
    const id = await s.newSession();
    const runId = await s.startRun(id, 'pick one');
    const asked = await waitForEvent(s.t.log, id, (e) => e.type === 'clarify.requested');
    expect(asked.data).toMatchObject({ question: 'Which?', choices: ['a', 'b'] });
    const started = Date.now();
    const cancelled = await s.post(`/api/sessions/${id}/runs/${runId}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { cancelled: true } });
    const terminal = await waitForEvent(s.t.log, id, runEnded(runId));
    expect(terminal.data).toMatchObject({ stopReason: 'cancelled' });
    // Generous on a loaded machine; the clarify timeout (120 s) is what it must not wait for.
    expect(Date.now() - started).toBeLessThan(10_000);
    const view = (await (await fetch(`${s.base}/api/sessions/${id}`)).json()) as {
      view: { clarifications: unknown[] };
    };
    expect(view.view.clarifications).toEqual([]);
  });
});
