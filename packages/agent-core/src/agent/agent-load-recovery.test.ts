import { describe, expect, it } from 'vitest';
import { toCheckpoint } from '../sessions/session-checkpoint.js';
import { DEFAULT_LEASE_MS } from '../sessions/session-lease.js';
import { MemorySessionStore } from '../sessions/memory-session-store.js';
import type { SessionSnapshot } from '../sessions/session-snapshot.js';
import { createEmptySnapshot } from '../sessions/transcript.js';
import { approvalRequest, clarifyRequest } from '../test-helpers/pending-requests.js';
import { collect, recordBus } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';

const question = clarifyRequest('q1');

/**
 * A store holding what a process that died mid-run left: the session saved
 * `running`, its run in flight with a partial answer, a question pending; the
 * dead writer's lease has expired.
 */
async function storeOfDeadProcess(extra: Partial<SessionSnapshot> = {}) {
  let clock = 1_000;
  const store = new MemorySessionStore({ now: () => clock });
  const snapshot: SessionSnapshot = {
    ...createEmptySnapshot({ sessionId: 'ses_dead', agentName: 'tester', now: 1 }),
    status: 'running',
    turn: 1,
    activeRun: { runId: 'run_1', startedAt: 2, partial: { messageId: 'msg_9', text: 'Half an' } },
    pending: [question],
    ...extra,
  };
  await store.save(toCheckpoint(snapshot, { baseRevision: 0, owner: 'elsewhere/1/x', from: 0 }));
  clock += DEFAULT_LEASE_MS + 1;
  return store;
}

describe('loadSession after the process running the session died', () => {
  it('ends the dead run as interrupted, drops its question, and saves the session idle', async () => {
    const store = await storeOfDeadProcess();
    await using t = await startTestAgent([{ text: 'Here again.' }], { store });
    const events = recordBus(t.agent.bus);

    const session = await t.agent.loadSession('ses_dead');
    expect(session.status).toBe('idle');
    expect(session.pendingRequests()).toEqual([]);
    expect(session.snapshot().activeRun).toBeUndefined();
    expect(session.transcript.at(-1)).toMatchObject({
      id: 'msg_9',
      runId: 'run_1',
      display: { status: 'interrupted' },
    });
    expect(events.map((event) => event.type)).toEqual([
      'session.started',
      'message.completed',
      'run.finished',
    ]);
    expect(events.at(-1)).toMatchObject({ runId: 'run_1', data: { stopReason: 'interrupted' } });
    // Saved as recovered: another load would not end the run a second time.
    expect(await store.load('ses_dead')).toMatchObject({ status: 'idle', pending: [] });
    expect((await store.load('ses_dead'))?.activeRun).toBeUndefined();

    const { result } = await collect(session.run('Are you there?'));
    expect(result).toMatchObject({ stopReason: 'completed', text: 'Here again.' });
    await session.close();
  });

  it('keeps a paused step’s approvals (answerable after the load) and drops its questions', async () => {
    const approval = approvalRequest('a1');
    const store = await storeOfDeadProcess({
      activeRun: { runId: 'run_1', startedAt: 2 },
      paused: {
        runId: 'run_1',
        stepIndex: 0,
        toolCalls: [{ toolCallId: 'call_a1', toolName: 'rm', input: { path: '/x' } }],
        results: {},
      },
      pending: [approval, question],
    });
    await using t = await startTestAgent([], { store });

    const session = await t.agent.loadSession('ses_dead');
    expect(session.status).toBe('idle');
    expect(session.pendingRequests()).toEqual([approval]);
    expect(session.snapshot().paused).toMatchObject({ runId: 'run_1' });
    await session.close();
  });
});
