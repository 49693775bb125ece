import { describe, expect, it } from 'vitest';
import { parseEvent } from './parse-event.js';
import { EventUpgrader } from './upgrade-event.js';

// Records as the pre-contract Rust harness wrote them (snake_case, index + emitted_at_ms).
const v0 = [
  { index: 0, emitted_at_ms: 100, type: 'turn_start', session_id: 's', iteration: 0 },
  { index: 1, emitted_at_ms: 101, type: 'agent_thought_chunk', session_id: 's', content: 'hmm' },
  { index: 2, emitted_at_ms: 102, type: 'agent_message_chunk', session_id: 's', content: 'Hel' },
  { index: 3, emitted_at_ms: 103, type: 'agent_message_chunk', session_id: 's', content: 'lo' },
  {
    index: 4,
    emitted_at_ms: 104,
    type: 'tool_call',
    session_id: 's',
    tool_call_id: 't1',
    tool_name: 'read',
    kind: 'read',
    status: 'pending',
    raw_input: { path: 'a' },
  },
  {
    index: 5,
    emitted_at_ms: 105,
    type: 'tool_call_update',
    session_id: 's',
    tool_call_id: 't1',
    tool_name: 'read',
    status: 'in_progress',
  },
  // Old records may lack duration keys entirely (seed back-compat rule).
  {
    index: 6,
    emitted_at_ms: 106,
    type: 'tool_call_update',
    session_id: 's',
    tool_call_id: 't1',
    tool_name: 'read',
    status: 'failed',
    error: 'ENOENT',
  },
  {
    index: 7,
    emitted_at_ms: 107,
    type: 'daemon_watchdog_tripped',
    session_id: 's',
    attempts: 3,
    elapsed_ms: 900,
  },
  { index: 8, emitted_at_ms: 108, type: 'budget_exhausted', session_id: 's', max_iterations: 90 },
];

describe('EventUpgrader', () => {
  it('turns v0 harness records into valid, contiguous v1 events', () => {
    const upgrader = new EventUpgrader();
    const events = v0.flatMap((record) => upgrader.upgrade(record));
    for (const event of events) expect(() => parseEvent(event)).not.toThrow();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual([
      'step.started',
      'reasoning.started',
      'reasoning.delta',
      'reasoning.completed',
      'message.started',
      'message.delta',
      'message.delta',
      'message.completed',
      'tool_call.started',
      'tool_call.ready',
      'tool_call.running',
      'tool_call.completed',
      'custom',
      'loop.budget_exhausted',
    ]);
    const deltas = events.filter((e) => e.type === 'message.delta');
    expect(new Set(deltas.map((e) => (e.data as { messageId: string }).messageId)).size).toBe(1);
    expect(events.find((e) => e.type === 'tool_call.running')?.data).toEqual({
      toolCallId: 't1',
      toolName: 'read',
    });
    expect(events.find((e) => e.type === 'tool_call.completed')?.data).toEqual({
      toolCallId: 't1',
      toolName: 'read',
      status: 'failed',
      error: { message: 'ENOENT' },
    });
    expect(events.find((e) => e.type === 'custom')?.data).toEqual({
      name: 'v0.daemon_watchdog_tripped',
      value: { type: 'daemon_watchdog_tripped', attempts: 3, elapsed_ms: 900 },
    });
    expect(events.every((e) => e.runId === 'v0:s' && e.sessionId === 's')).toBe(true);
  });

  it("gives a pre-1.1 tool event the name of its call's tool_call.started, per session", () => {
    const upgrader = new EventUpgrader();
    const event = ([sessionId, seq]: [string, number], type: string, data: object) => ({
      v: 1,
      type,
      seq,
      ts: seq,
      sessionId,
      runId: 'r',
      data,
    });
    const stream = [
      event(['a', 1], 'tool_call.started', { toolCallId: 'c1', toolName: 'grep' }),
      event(['b', 1], 'tool_call.started', { toolCallId: 'c1', toolName: 'ls' }),
      event(['a', 2], 'tool_call.args_delta', { toolCallId: 'c1', delta: '{}' }),
      event(['a', 3], 'tool_call.running', { toolCallId: 'c1' }),
      event(['b', 2], 'tool_call.running', { toolCallId: 'c1', toolName: 'ls' }),
      event(['a', 4], 'tool_call.completed', { toolCallId: 'c1', status: 'completed' }),
      // After its completion the call is forgotten: a stray later event is left as it is.
      event(['a', 5], 'tool_call.progress', { toolCallId: 'c1' }),
      // A call whose start is not in the stream (joined late) is left as it is.
      event(['b', 3], 'tool_call.completed', { toolCallId: 'c9', status: 'failed' }),
    ];
    const upgraded = stream.flatMap((raw) => upgrader.upgrade(raw));
    for (const item of upgraded) expect(() => parseEvent(item)).not.toThrow();
    expect(upgraded.map((item) => (item.data as { toolName?: string }).toolName)).toEqual([
      'grep',
      'ls',
      'grep',
      'grep',
      'ls',
      'grep',
      undefined,
      undefined,
    ]);
    expect(upgraded[4]).toBe(stream[4]); // already named: the very same object
  });

  it('passes v1 events through untouched and refuses newer versions', () => {
    const upgrader = new EventUpgrader();
    const current = { v: 1, type: 'x.y', seq: 1, ts: 1, sessionId: 's', data: {}, extra: true };
    expect(upgrader.upgrade(current)).toEqual([current]);
    expect(() => upgrader.upgrade({ ...current, v: 7 })).toThrow(
      expect.objectContaining({ code: 'EVENTS_UNSUPPORTED_VERSION' }),
    );
    expect(() => upgrader.upgrade({ hello: 1 })).toThrow(
      expect.objectContaining({ code: 'EVENTS_INVALID_EVENT' }),
    );
    expect(() => upgrader.upgrade(null)).toThrow(
      expect.objectContaining({ code: 'EVENTS_INVALID_EVENT' }),
    );
  });
});
