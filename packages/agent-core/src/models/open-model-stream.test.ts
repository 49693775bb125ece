import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';

// A timeout no other timer in the process uses, so its timers can be counted.
const IDLE_MS = 98_765;

describe('openModelStream idle watchdog', () => {
  afterEach(() => vi.restoreAllMocks());

  it('arms one idle timer per model call, not one per chunk', async () => {
    const chunks = Array.from({ length: 40 }, (_, index) => `w${index} `);
    await using t = await startTestAgent([{ text: chunks }], { modelIdleTimeoutMs: IDLE_MS });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const session = await t.agent.createSession();
    const { result } = await collect(session.run('count'));
    expect(result.text).toBe(chunks.join(''));
    const idleTimers = setTimeoutSpy.mock.calls.filter(([, ms]) => ms === IDLE_MS);
    // Re-armed with refresh() at every read: before, a new timer per read made 47.
    expect(idleTimers).toHaveLength(1);
  });
});
