import { describe, expect, it, vi } from 'vitest';
import { loadFixture } from '../fixtures/index.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { initialSessionView, reduceEvents, reduceSession } from './reduce-session.js';
import type { MessageItem, SessionView, ToolCallItem, ViewItem } from './session-view.js';

const byKind = <K extends ViewItem['kind']>(view: SessionView, kind: K) =>
  view.items.toArray().filter((item): item is Extract<ViewItem, { kind: K }> => item.kind === kind);

const tool = (view: SessionView, id: string): ToolCallItem | undefined =>
  byKind(view, 'tool_call').find((call) => call.id === id);

function event(seq: number, type: string, data: unknown): AnyEvent {
  return { v: 1, type, seq, ts: 1000 + seq, sessionId: 'ses_1', runId: 'run_1', data };
}

describe('reduceSession on the golden corpus', () => {
  it('plain-chat: title, reasoning, the streamed answer, usage and cost', () => {
    const view = reduceEvents(loadFixture('plain-chat'));
    expect(view).toMatchObject({
      sessionId: 'ses_plain',
      title: 'Greeting',
      agent: 'helper',
      lastSeq: 18,
      runCount: 1,
      open: [],
      approvals: [],
      clarifications: [],
      caughtUp: false,
    });
    expect(
      view.items.toArray().map((item) => [item.kind, 'text' in item ? item.text : '']),
    ).toEqual([
      ['message', 'Say hello'],
      ['reasoning', 'A greeting is expected.'],
      ['message', 'Hello, world!'],
    ]);
    const [user, reasoning, answer] = view.items.toArray();
    expect(user).toMatchObject({
      role: 'user',
      status: 'completed',
      source: 'text',
      runId: 'run_01',
    });
    // Its duration: reasoning.started (ts …042) to reasoning.completed (…063).
    expect(reasoning).toMatchObject({ status: 'completed', id: 'rsn_01', durationMs: 21 });
    expect(answer).toMatchObject({ role: 'assistant', status: 'completed', id: 'msg_a1' });
    expect(view.run).toMatchObject({
      runId: 'run_01',
      status: 'finished',
      stopReason: 'completed',
    });
    expect(view.usage).toEqual({
      inputTokens: 21,
      outputTokens: 9,
      totalTokens: 30,
      cachedInputTokens: 8,
      reasoningTokens: 0,
      cost: { amount: 0.00012, currency: 'USD' },
    });
    expect(view.run?.usage).toMatchObject({
      inputTokens: 21,
      outputTokens: 9,
      cost: { amount: 0.00012 },
    });
  });

  it('plain-chat: mid-stream the answer is streaming with the text so far', () => {
    const events = loadFixture('plain-chat');
    const view = reduceEvents(events.filter((e) => e.seq <= 12));
    const answer = view.items.last();
    expect(answer).toMatchObject({ kind: 'message', text: 'Hello', status: 'streaming' });
    expect(view.open).toEqual([2]);
    expect(view.run?.status).toBe('running');
  });

  it('multi-tool: two calls matched by id with name, status, args, output, error and duration', () => {
    const view = reduceEvents(loadFixture('multi-tool'));
    expect(tool(view, 'call_01')).toMatchObject({
      toolName: 'weather',
      toolKind: 'fetch',
      status: 'completed',
      argsText: '{"city":"Paris"}',
      input: { city: 'Paris' },
      output: { city: 'Paris', tempC: 18, sky: 'cloudy' },
      durationMs: 320,
      progress: { message: 'Contacting weather service', current: 1, total: 2 },
    });
    expect(tool(view, 'call_02')).toMatchObject({
      toolName: 'weather',
      status: 'failed',
      input: { city: 'Rome' },
      error: { code: 'CORE_TOOL_TIMEOUT' },
      durationMs: 5000,
    });
    expect(view.items.toArray().map((item) => item.kind)).toEqual([
      'message',
      'message',
      'tool_call',
      'tool_call',
      'message',
    ]);
    expect(view.plan?.entries.map((entry) => entry.status)).toEqual(['completed', 'completed']);
    expect(view.usage).toMatchObject({ inputTokens: 130, outputTokens: 50, cachedInputTokens: 40 });
    expect(view.context).toEqual({ tokens: 110, window: expect.any(Number) });
    expect(view.run).toMatchObject({
      status: 'finished',
      stopReason: 'completed',
      durationMs: 6200,
    });
  });

  it('cancelled: the cut-off message and the half-streamed tool call end cancelled', () => {
    const view = reduceEvents(loadFixture('cancelled'));
    const messages = byKind(view, 'message');
    expect(messages.at(-1)).toMatchObject({
      text: 'The repo contains a README',
      status: 'cancelled',
    });
    expect(tool(view, 'call_02')).toMatchObject({
      toolName: 'read_file',
      status: 'cancelled',
      argsText: '{"path":"READ',
      error: { code: 'CORE_CANCELLED' },
    });
    expect(tool(view, 'call_01')).toMatchObject({
      status: 'completed',
      output: ['README.md', 'src'],
    });
    expect(view.run).toMatchObject({
      status: 'finished',
      stopReason: 'cancelled',
      durationMs: 600,
    });
    expect(view.open).toEqual([]);
  });

  it('approval: a pending approval with its deadline, then the resume run completes the call', () => {
    const events = loadFixture('approval');
    const paused = reduceEvents(events.filter((e) => e.seq <= 11));
    expect(paused.run).toMatchObject({
      runId: 'run_01',
      status: 'finished',
      stopReason: 'awaiting_input',
    });
    expect(paused.approvals).toHaveLength(1);
    expect(paused.approvals[0]).toMatchObject({
      approvalId: 'apr_01',
      toolCallId: 'call_01',
      toolName: 'remove',
      input: { path: '/tmp/cache' },
      runId: 'run_01',
    });
    const approvalEvent = events.find((e) => e.type === 'tool_call.approval_requested');
    expect(paused.approvals[0]?.expiresAt).toBe(
      (approvalEvent?.data as { expiresAt?: string }).expiresAt,
    );
    expect(tool(paused, 'call_01')).toMatchObject({
      status: 'awaiting_approval',
      approval: { approvalId: 'apr_01', status: 'pending' },
    });

    const done = reduceEvents(events);
    expect(done.approvals).toEqual([]);
    expect(done.runCount).toBe(2);
    expect(done.run).toMatchObject({ runId: 'run_02', trigger: 'resume', resumeOfRunId: 'run_01' });
    expect(tool(done, 'call_01')).toMatchObject({
      approval: { approvalId: 'apr_01', status: 'approved', optionId: 'allow' },
      status: 'completed',
      durationMs: 61000,
      output: 'removed /tmp/cache',
    });
    expect(byKind(done, 'message').at(-1)).toMatchObject({ text: 'Done: /tmp/cache is gone.' });
    expect(done.usage).toMatchObject({ inputTokens: 75, outputTokens: done.usage.outputTokens });
    expect(done.run?.usage).toMatchObject({ inputTokens: 50, outputTokens: 9, totalTokens: 59 });
  });
});

describe('reduceSession on the retry and delegation fixtures', () => {
  it('provider-retry: the retry shows until the next attempt, then the answer; a failed run is an error item', () => {
    const events = loadFixture('provider-retry');
    const waiting = reduceEvents(events.filter((e) => e.seq <= 6));
    expect(waiting.run?.retry).toMatchObject({
      generationId: 'gen_01',
      attempt: 1,
      nextAttempt: 2,
      delayMs: 20000,
      error: { status: 429 },
    });
    expect(reduceEvents(events.filter((e) => e.seq <= 7)).run?.retry).toBeUndefined();
    const fallback = reduceEvents(events.filter((e) => e.seq <= 9));
    expect(fallback.items.last()).toMatchObject({
      kind: 'notice',
      code: 'CORE_MODEL_FALLBACK',
      severity: 'warning',
    });

    const view = reduceEvents(events);
    expect(view.runCount).toBe(2);
    expect(view.run).toMatchObject({
      runId: 'run_02',
      status: 'failed',
      error: { code: 'CORE_PROVIDER_NO_RESPONSE', hint: expect.any(String) },
    });
    expect(view.run?.retry).toBeUndefined();
    expect(view.items.toArray().map((item) => item.kind)).toEqual([
      'message',
      'notice',
      'message',
      'message',
      'error',
    ]);
    expect(view.items.last()).toMatchObject({
      kind: 'error',
      runId: 'run_02',
      error: { retryable: true },
    });
    expect(view.usage).toMatchObject({ inputTokens: 18, outputTokens: 5, totalTokens: 23 });
  });

  it('delegation: sub-agent output is tagged with its parent run; the handoff run is the current run', () => {
    const events = loadFixture('delegation');
    const view = reduceEvents(events);
    expect(view.runCount).toBe(2); // run_01 and the handoff target run_03; run_02 is a child
    expect(view.run).toMatchObject({
      runId: 'run_03',
      trigger: 'handoff',
      handoffFromRunId: 'run_01',
      status: 'finished',
      stopReason: 'completed',
    });
    const messages = view.items.toArray().filter((item) => item.kind === 'message');
    expect(messages.map((m) => [m.text, m.runId, m.parentRunId])).toEqual([
      ['Why was I charged twice?', 'run_01', undefined],
      ['Two charges on 3 May; one is a hold.', 'run_02', 'run_01'],
      ['One charge is a hold; it drops in 3 days.', 'run_03', undefined],
    ]);
    expect(tool(view, 'call_01')).toMatchObject({
      toolName: 'researcher',
      status: 'completed',
      durationMs: 300,
    });
    expect(tool(view, 'call_02')).toMatchObject({
      toolName: 'transfer_to_billing',
      status: 'completed',
    });
    // Session totals include the compaction call and the sub-agent's, as the session usage.updated says.
    expect(view.usage).toMatchObject({ inputTokens: 1700, outputTokens: 181, totalTokens: 1881 });
    // Mid-way, while the sub-agent runs, the parent run stays the current one.
    expect(reduceEvents(events.filter((e) => e.seq <= 24)).run).toMatchObject({
      runId: 'run_01',
      status: 'running',
    });
  });
});

describe('reduceSession: resume, dedupe, transport and forward compatibility', () => {
  it('ignores events at or below the last seq, so a replayed overlap changes nothing', () => {
    const events = loadFixture('multi-tool');
    const full = reduceEvents(events);
    const firstHalf = reduceEvents(events.slice(0, 20));
    const resumed = reduceEvents(events.slice(10), firstHalf); // seq 11..20 replayed
    expect(resumed).toEqual(full);
    expect(reduceSession(full, events[5] as AnyEvent)).toBe(full);
  });

  it('ignores events of another session', () => {
    const view = reduceEvents(loadFixture('plain-chat'));
    const foreign = { ...(loadFixture('cancelled')[2] as AnyEvent), seq: 99 };
    expect(reduceSession(view, foreign)).toBe(view);
  });

  it('passes over unknown event types, only advancing lastSeq', () => {
    const events = loadFixture('plain-chat');
    const future = { ...event(11, 'hologram.projected', { beam: 3 }), sessionId: 'ses_plain' };
    const before = reduceEvents(events.slice(0, 10));
    const after = reduceSession(before, future);
    expect(after.lastSeq).toBe(11);
    expect({ ...after, lastSeq: before.lastSeq }).toEqual(before);
    // A known type later on still applies.
    const shifted = events.slice(10).map((e) => ({ ...e, seq: e.seq + 1 }));
    expect(reduceEvents(shifted, after).items.toArray()).toEqual(
      reduceEvents(events).items.toArray(),
    );
  });

  it('is caught up once the head seq of stream.opened is reached', () => {
    const events = loadFixture('plain-chat');
    let view = reduceSession(initialSessionView(), {
      type: 'stream.opened',
      data: { headSeq: 5, sessionId: 'ses_plain' },
    });
    expect(view).toMatchObject({ headSeq: 5, caughtUp: false, sessionId: 'ses_plain' });
    const flags: boolean[] = [];
    for (const e of events.slice(0, 6)) {
      view = reduceSession(view, e);
      flags.push(view.caughtUp);
    }
    expect(flags).toEqual([false, false, false, false, true, true]);
    const empty = reduceSession(initialSessionView(), {
      type: 'stream.opened',
      data: { headSeq: 0 },
    });
    expect(empty.caughtUp).toBe(true);
  });

  it('shows a retry until the next attempt starts, and run failures as errors', () => {
    const error = {
      message: 'Rate limited. Wait a minute.',
      code: 'CORE_PROVIDER_RATE_LIMIT',
      hint: 'Wait a minute.',
      status: 429,
    };
    let view = reduceEvents([
      event(1, 'run.started', { trigger: 'user' }),
      event(2, 'generation.started', { generationId: 'g1', provider: 'p', model: 'm', attempt: 1 }),
      event(3, 'generation.retrying', {
        generationId: 'g1',
        provider: 'p',
        model: 'm',
        attempt: 1,
        nextAttempt: 2,
        delayMs: 500,
        error,
      }),
    ]);
    expect(view.run?.retry).toEqual({
      generationId: 'g1',
      attempt: 1,
      nextAttempt: 2,
      delayMs: 500,
      error,
      at: 1003,
    });
    view = reduceEvents(
      [
        event(4, 'generation.started', {
          generationId: 'g1',
          provider: 'p',
          model: 'm',
          attempt: 2,
        }),
        event(5, 'message.started', { messageId: 'm1', role: 'assistant' }),
        event(6, 'message.delta', { messageId: 'm1', delta: 'Par' }),
        event(7, 'run.failed', {
          error: { message: 'Stream broke.', code: 'CORE_PROVIDER_STREAM' },
        }),
      ],
      view,
    );
    expect(view.run?.retry).toBeUndefined();
    expect(view.run).toMatchObject({
      status: 'failed',
      error: { code: 'CORE_PROVIDER_STREAM' },
      durationMs: 6,
    });
    expect(
      view.items.toArray().map((item) => [item.kind, 'status' in item ? item.status : '']),
    ).toEqual([
      ['message', 'failed'],
      ['error', ''],
    ]);
  });

  it('tracks steer notes, notices, clarify questions with deadlines, and denied approvals', () => {
    const view = reduceEvents([
      event(1, 'run.started', { trigger: 'user' }),
      event(2, 'steer.accepted', { steerId: 's1', text: 'Use metric units' }),
      event(3, 'steer.applied', { steerId: 's1', mode: 'tool_boundary' }),
      event(4, 'notice', { severity: 'warning', message: 'Context 90% full', code: 'CONTEXT' }),
      event(5, 'clarify.requested', {
        clarifyId: 'q1',
        question: 'Which city?',
        choices: ['Paris', 'Rome'],
        timeoutMs: 30000,
      }),
      event(6, 'tool_call.started', { toolCallId: 'c1', toolName: 'rm' }),
      event(7, 'tool_call.approval_requested', {
        approvalId: 'a1',
        toolCallId: 'c1',
        expiresAt: '2030-01-01T00:00:00Z',
      }),
      event(8, 'tool_call.approval_resolved', {
        approvalId: 'a1',
        toolCallId: 'c1',
        approved: false,
      }),
    ]);
    expect(byKind(view, 'steer')).toEqual([
      {
        kind: 'steer',
        id: 's1',
        text: 'Use metric units',
        mode: 'tool_boundary',
        runId: 'run_1',
        startedAt: 1002,
      },
    ]);
    expect(byKind(view, 'notice')[0]).toMatchObject({
      severity: 'warning',
      message: 'Context 90% full',
    });
    expect(view.clarifications).toEqual([
      {
        clarifyId: 'q1',
        question: 'Which city?',
        choices: ['Paris', 'Rome'],
        deadline: 1005 + 30000,
        requestedAt: 1005,
        runId: 'run_1',
      },
    ]);
    expect(view.approvals).toEqual([]);
    expect(tool(view, 'c1')?.status).toBe('denied');
    const answered = reduceSession(
      view,
      event(9, 'clarify.resolved', { clarifyId: 'q1', answer: 'Rome', source: 'user' }),
    );
    expect(answered.clarifications).toEqual([]);
    expect(byKind(answered, 'clarify')).toEqual([
      expect.objectContaining({ id: 'q1', status: 'answered', answer: 'Rome', source: 'user' }),
    ]);
    expect(tool(view, 'c1')?.approval).toEqual({ approvalId: 'a1', status: 'denied' });
  });

  it('opens a message on its first delta when the stream joined mid-message', () => {
    const view = reduceEvents([
      event(7, 'message.delta', { messageId: 'm9', delta: 'lo' }),
      event(8, 'message.completed', { messageId: 'm9', text: 'Hello', status: 'interrupted' }),
    ]);
    expect(view.items.toArray()).toEqual([
      {
        kind: 'message',
        id: 'm9',
        role: 'assistant',
        text: 'Hello',
        status: 'interrupted',
        runId: 'run_1',
        startedAt: 1007,
      },
    ]);
    expect(view.open).toEqual([]);
  });

  it('leaves the previous state untouched (immutable)', () => {
    const events = loadFixture('plain-chat');
    const before = reduceEvents(events.slice(0, 11));
    const snapshot = JSON.stringify(before);
    reduceEvents(events.slice(11), before);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect((before.items.last() as MessageItem).text).toBe('Hel');
  });
});

describe('reduceSession: work per delta', () => {
  it('reduces 10k deltas into a long session copying O(log n) per delta, not the list', () => {
    const prior: AnyEvent[] = [event(1, 'run.started', { trigger: 'user' })];
    for (let i = 0; i < 3000; i++) {
      prior.push(
        event(prior.length + 1, 'user.message', {
          messageId: `u${i}`,
          parts: [{ type: 'text', text: 'x' }],
        }),
      );
    }
    prior.push(
      event(prior.length + 1, 'message.started', { messageId: 'long', role: 'assistant' }),
    );
    let view = reduceEvents(prior);
    const deltas = Array.from({ length: 10_000 }, (_, i) =>
      event(prior.length + 1 + i, 'message.delta', { messageId: 'long', delta: 'ab' }),
    );

    // Count every array element the copying array methods touch (the list's
    // path copies use slice); a reducer copying the transcript per delta
    // would touch 3001 elements per delta here.
    let copied = 0;
    const methods = ['slice', 'map', 'filter', 'concat'] as const;
    const spies = methods.map((name) => {
      const original: unknown = Reflect.get(Array.prototype, name);
      return vi.spyOn(Array.prototype, name).mockImplementation(function (
        this: unknown[],
        ...args: unknown[]
      ) {
        copied += this.length;
        return Reflect.apply(original as (...a: unknown[]) => unknown, this, args);
      } as never);
    });
    const firstItems = view.items;
    // 3001 items: a 3-level tree, so at most 3 nodes of 32 per delta.
    const bound = deltas.length * 3 * 32;
    try {
      for (const delta of deltas) {
        view = reduceSession(view, delta);
        if (copied > bound) break; // fail fast instead of running a quadratic loop to the end
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(copied).toBeLessThanOrEqual(bound);
    expect(copied).toBeGreaterThan(0);
    expect((view.items.last() as MessageItem).text).toHaveLength(20_000);
    // Every earlier item is the very same object: nothing but one path was copied.
    for (let i = 0; i < firstItems.size - 1; i += 97)
      expect(view.items.get(i)).toBe(firstItems.get(i));
  });

  it('reasoning cut off by a cancel has no duration; one joined mid-stream measures from its first delta', () => {
    const cancelled = reduceEvents([
      { ...event(1, 'run.started', { trigger: 'user' }) },
      event(2, 'reasoning.started', { reasoningId: 'r1' }),
      event(3, 'reasoning.delta', { reasoningId: 'r1', delta: 'hmm' }),
      event(4, 'run.finished', { stopReason: 'cancelled' }),
    ]);
    const [cut] = byKind(cancelled, 'reasoning');
    expect(cut).toMatchObject({ status: 'cancelled', text: 'hmm' });
    expect(cut).not.toHaveProperty('durationMs');
    const joined = reduceEvents([
      event(5, 'reasoning.delta', { reasoningId: 'r2', delta: 'a' }),
      event(9, 'reasoning.completed', { reasoningId: 'r2' }),
    ]);
    expect(byKind(joined, 'reasoning')[0]).toMatchObject({ text: 'a', durationMs: 4 });
  });
});
