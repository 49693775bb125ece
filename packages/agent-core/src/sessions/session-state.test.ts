import { describe, expect, it } from 'vitest';
import type { TranscriptEntry } from './session-snapshot.js';
import { SessionState, type PausedStep } from './session-state.js';
import { createEmptySnapshot } from './transcript.js';
import { approvalRequest, clarifyRequest } from '../test-helpers/pending-requests.js';

function fresh() {
  return new SessionState(createEmptySnapshot({ sessionId: 'ses_1', agentName: 'a', now: 1 }));
}

const invalid = expect.objectContaining({
  code: 'CORE_INVALID_TRANSITION',
  details: expect.objectContaining({ sessionId: 'ses_1' }),
});

const paused: PausedStep = {
  runId: 'run_1',
  stepIndex: 0,
  toolCalls: [{ toolCallId: 'call_a1', toolName: 'rm', input: { path: '/x' } }],
  results: {},
};

function running(state = fresh()) {
  state.beginRun('run_1', 5);
  state.markRunning();
  return state;
}

/** A session whose run paused for approval and ended: `awaiting_input`. */
function pausedAwaiting() {
  const state = running();
  state.pauseForApproval(paused, [approvalRequest('a1')]);
  state.finish('awaiting_input');
  state.endRun();
  return state;
}

describe('SessionState', () => {
  it('walks a run through begin, running, pause, answer, resume and finish', () => {
    const state = fresh();
    expect(state.beginRun('run_1', 5)).toBe(1);
    expect(state.snapshot).toMatchObject({ turn: 1, activeRun: { runId: 'run_1', startedAt: 5 } });
    state.markRunning();
    state.pauseForApproval(paused, [approvalRequest('a1')]);
    expect(state.finish('awaiting_input')).toEqual([approvalRequest('a1')]);
    state.endRun();
    expect(state.snapshot).toMatchObject({ status: 'awaiting_input', paused });
    expect(state.snapshot.activeRun).toBeUndefined();

    state.resolvePending('a1', { approved: true, always: true });
    expect(state.snapshot.approvedTools).toEqual(['rm']);
    expect(state.beginRun('run_2', 6)).toBe(2);
    state.markRunning();
    const taken = state.takePausedStep();
    expect(taken.paused).toEqual(paused);
    expect(taken.approvals).toEqual([
      { ...approvalRequest('a1'), response: { approved: true, always: true } },
    ]);
    expect(state.snapshot.paused).toBeUndefined();
    expect(state.snapshot.pending).toEqual([]);
    expect(state.finish('completed')).toEqual([]);
    expect(state.snapshot.status).toBe('idle');
  });

  it('refuses transitions its status does not allow, changing nothing', () => {
    const state = fresh();
    const before = state.copy();
    expect(() => state.pauseForApproval(paused, [approvalRequest('a1')])).toThrow(invalid);
    expect(() => state.finish('completed')).toThrow(invalid);
    expect(() => state.handOff('other')).not.toThrow();
    state.handOff(before.agentName);
    expect(state.copy()).toEqual(before);

    running(state);
    expect(() => state.beginRun('run_2', 6)).toThrow(invalid); // one run at a time
    expect(() => state.markRunning()).toThrow(invalid);
    expect(() => state.takePausedStep()).toThrow(invalid); // nothing paused
    expect(() => state.handOff('other')).toThrow(invalid);
    state.pauseForApproval(paused, [approvalRequest('a1')]);
    expect(() => state.pauseForApproval(paused, [approvalRequest('a2')])).toThrow(invalid);
    expect(state.snapshot.pending.map((request) => request.requestId)).toEqual(['a1']);

    state.finish('awaiting_input');
    state.endRun();
    state.close();
    for (const change of [
      () => state.beginRun('run_3', 7),
      () => state.markRunning(),
      () => state.queueSteer({ steerId: 'str_1', text: 'hi' }),
      () => state.setModel('m'),
      () => state.reset(),
      () => state.close(),
    ])
      expect(change).toThrow(invalid);
    expect(state.snapshot.status).toBe('closed');
  });

  it('checks answers: unknown or answered requests and wrong shapes are refused', () => {
    const state = running();
    state.askClarify({
      kind: 'clarify',
      requestId: 'q1',
      toolCallId: 'call_q1',
      question: 'Which?',
      timeoutMs: 1000,
      fallbackAnswer: 'any',
      requestedAt: 3,
    });
    expect(() => state.resolvePending('nope', { answer: 'x' })).toThrow(
      expect.objectContaining({ code: 'CORE_NO_PENDING_REQUEST' }),
    );
    expect(() => state.resolvePending('q1', { approved: true })).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_RESPONSE' }),
    );
    expect(state.resolvePending('q1', { answer: 'that one' })).toMatchObject({
      response: { answer: 'that one', source: 'user' },
    });
    expect(() => state.resolvePending('q1', { answer: 'again' })).toThrow(
      expect.objectContaining({ code: 'CORE_NO_PENDING_REQUEST' }),
    );
    state.withdrawRequest('q1');
    expect(state.snapshot.pending).toEqual([]);
  });

  it('keeps the partial answer of the run in flight until it is in the transcript', () => {
    const state = running();
    state.streamPartial('run_1', { messageId: 'msg_1' });
    state.streamPartial('run_1', { text: 'Hel' });
    state.streamPartial('run_1', { text: 'lo' });
    state.streamPartial('run_1', { reasoning: 'hmm' });
    state.streamPartial('run_other', { text: 'ignored' });
    expect(state.snapshot.activeRun?.partial).toEqual({
      messageId: 'msg_1',
      text: 'Hello',
      reasoning: 'hmm',
    });
    const entry: TranscriptEntry = {
      id: 'msg_1',
      runId: 'run_1',
      message: { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
      display: { createdAt: 4, status: 'complete' },
    };
    state.addEntry(entry);
    expect(state.snapshot.activeRun?.partial).toBeUndefined();
    expect(state.snapshot.transcript).toEqual([entry]);
  });

  it('recovers from a crash: a running session is idle, its questions dropped, a paused step kept', () => {
    const question = clarifyRequest('q1');
    const asking = running();
    asking.askClarify(question);
    expect(asking.recoverFromCrash()).toBe(true);
    expect(asking.snapshot).toMatchObject({ status: 'idle', pending: [] });
    // The dead run is still in flight until it is ended as interrupted.
    expect(asking.snapshot.activeRun).toMatchObject({ runId: 'run_1' });
    asking.endRun();
    expect(asking.beginRun('run_2', 9)).toBe(2); // and the session takes the next run

    const pausing = running();
    pausing.pauseForApproval(paused, [approvalRequest('a1')]);
    pausing.askClarify(question);
    expect(pausing.recoverFromCrash()).toBe(true);
    expect(pausing.snapshot).toMatchObject({
      status: 'idle',
      paused,
      pending: [approvalRequest('a1')],
    });

    // Nothing ran: nothing to recover, nothing changes.
    for (const state of [fresh(), pausedAwaiting()]) {
      const before = state.copy();
      expect(state.recoverFromCrash()).toBe(false);
      expect(state.copy()).toEqual(before);
    }
  });

  it('moves steers to the next message, counts usage (shared with a sub-agent), and resets', () => {
    const state = running();
    state.queueSteer({ steerId: 'str_1', text: 'shorter' });
    expect(state.takeQueuedSteers()).toEqual([{ steerId: 'str_1', text: 'shorter' }]);
    expect(state.takeQueuedSteers()).toEqual([]);
    const child = new SessionState(
      createEmptySnapshot({ sessionId: 'ses_1', agentName: 'sub', now: 1 }),
      { sharesTotalsWith: state },
    );
    state.addUsage({ inputTokens: 10, outputTokens: 2 }, 0.5);
    child.addUsage({ inputTokens: 5, outputTokens: 1 }, undefined);
    expect(state.snapshot.totals).toEqual({
      usage: expect.objectContaining({ inputTokens: 15, outputTokens: 3 }),
      costUsd: 0.5,
      apiCalls: 2,
    });
    state.setTitle('Plans', 'user');
    state.finish('completed');
    state.endRun();
    state.reset();
    expect(state.snapshot).toMatchObject({
      status: 'idle',
      turn: 0,
      transcript: [],
      pending: [],
      title: 'Plans',
      totals: { apiCalls: 2 },
    });
  });
});
