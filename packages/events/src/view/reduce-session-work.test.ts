import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnyEvent } from '../schema/agent-event.js';
import { reduceEvents } from './reduce-session.js';
import { ViewList } from './view-list.js';

/**
 * A long session as the web app's render bench streams it: per turn a run, the
 * user's message, an answer in three deltas, and usage (so `view.turns` and
 * the meter move too).
 */
function longSession(turns: number): AnyEvent[] {
  const events: AnyEvent[] = [];
  let seq = 0;
  const push = (type: string, data: unknown, runId: string) => {
    seq += 1;
    events.push({ v: 1, type, seq, ts: 1000 + seq, sessionId: 'ses_long', runId, data });
  };
  for (let turn = 0; turn < turns; turn++) {
    const runId = `run_${turn}`;
    push('run.started', { trigger: 'user' }, runId);
    push('user.message', { messageId: `u_${turn}`, parts: [{ type: 'text', text: 'q' }] }, runId);
    push('message.started', { messageId: `a_${turn}`, role: 'assistant' }, runId);
    for (const delta of ['one ', 'two ', 'three'])
      push('message.delta', { messageId: `a_${turn}`, delta }, runId);
    push('message.completed', { messageId: `a_${turn}` }, runId);
    push(
      'generation.finished',
      { generationId: `gen_${turn}`, usage: { inputTokens: 10, outputTokens: 5 } },
      runId,
    );
    push('run.finished', { stopReason: 'completed', durationMs: 5 }, runId);
  }
  return events;
}

/** Work the reducer does on the timeline and turn lists, counted, for `turns` turns. */
function countWork(turns: number): { reads: number; copies: number; iterations: number } {
  const events = longSession(turns);
  const get = vi.spyOn(ViewList.prototype, 'get');
  const push = vi.spyOn(ViewList.prototype, 'push');
  const set = vi.spyOn(ViewList.prototype, 'set');
  const iterate = vi.spyOn(ViewList.prototype, Symbol.iterator);
  const toArray = vi.spyOn(ViewList.prototype, 'toArray');
  const slice = vi.spyOn(Array.prototype, 'slice');
  reduceEvents(events);
  const work = {
    reads: get.mock.calls.length,
    copies: push.mock.calls.length + set.mock.calls.length + slice.mock.calls.length,
    iterations: iterate.mock.calls.length + toArray.mock.calls.length,
  };
  vi.restoreAllMocks();
  return work;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reduceSession: the work per event does not grow with the session', () => {
  it('reducing 4x the events does ~4x the reads and copies, never a whole-list pass', () => {
    const small = countWork(250); // 2,250 events
    const large = countWork(1000); // 9,000 events, the render bench's size
    expect(small.iterations).toBe(0);
    expect(large.iterations).toBe(0);
    // Linear: a per-event scan or copy of the timeline (or of view.turns) would make
    // the large session cost ~16x the small one, not 4x.
    expect(large.reads / small.reads).toBeGreaterThan(3.6);
    expect(large.reads / small.reads).toBeLessThan(4.4);
    // Copies are path copies of a 32-way tree: one more level between 500 and 2,000
    // items makes it O(N log32 N), ~4.5x here; a quadratic pass would be ~16x.
    expect(large.copies / small.copies).toBeGreaterThan(3.6);
    expect(large.copies / small.copies).toBeLessThan(6);
    // And a small constant per event.
    expect(large.reads / 9000).toBeLessThan(4);
    expect(large.copies / 9000).toBeLessThan(6);
  });
});
