import { describe, expect, it } from 'vitest';
import { SAMPLE_DATA } from '../test-helpers/sample-data.js';
import { EVENT_TYPES, SESSION_SCOPED_TYPES } from './event-catalog.js';
import { isKnownEvent, parseEvent, safeParseEvent } from './parse-event.js';

const envelope = (type: string, data: unknown, extra: Record<string, unknown> = {}) => ({
  v: 1,
  type,
  seq: 1,
  ts: 1_700_000_000_000,
  sessionId: 'ses_1',
  ...(SESSION_SCOPED_TYPES.has(type) ? {} : { runId: 'run_1' }),
  data,
  ...extra,
});

describe('parseEvent', () => {
  it('covers the event types the issue names', () => {
    for (const type of [
      'session.started',
      'session.ended',
      'run.started',
      'run.finished',
      'run.failed',
      'step.started',
      'step.finished',
      'generation.started',
      'generation.retrying',
      'generation.finished',
      'message.started',
      'message.delta',
      'message.completed',
      'user.message',
      'reasoning.started',
      'reasoning.delta',
      'reasoning.completed',
      'tool_call.started',
      'tool_call.args_delta',
      'tool_call.ready',
      'tool_call.running',
      'tool_call.progress',
      'tool_call.completed',
      'tool_call.approval_requested',
      'tool_call.approval_resolved',
      'clarify.requested',
      'clarify.resolved',
      'steer.accepted',
      'steer.applied',
      'plan.updated',
      'usage.updated',
      'context.compacted',
      'agent.handoff',
      'loop.budget_exhausted',
      'loop.stuck',
      'feedback.injected',
      'skill.activated',
      'skill.deactivated',
      'notice',
      'custom',
    ]) {
      expect(EVENT_TYPES).toContain(type);
    }
  });

  it.each(EVENT_TYPES)('accepts a valid %s and returns it unchanged', (type) => {
    const raw = envelope(type, SAMPLE_DATA[type]);
    const event = parseEvent(raw);
    expect(event).toEqual(raw);
    expect(isKnownEvent(event)).toBe(true);
  });

  it.each(EVENT_TYPES)('rejects %s with a payload of the wrong shape', (type) => {
    const result = safeParseEvent(envelope(type, 'not an object'));
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.code).toBe('EVENTS_INVALID_EVENT');
      expect(result.error.message).toContain(type);
    }
  });

  it('keeps unknown fields in the envelope and in data (forward compatibility)', () => {
    const raw = envelope(
      'message.delta',
      { messageId: 'm', delta: 'x', newField: [1] },
      { future: true },
    );
    expect(parseEvent(raw)).toEqual(raw);
  });

  it('keeps events of unknown types as opaque events', () => {
    const raw = envelope('hologram.projected', { anything: 1 }, { runId: 'run_1' });
    const event = parseEvent(raw);
    expect(event).toEqual(raw);
    expect(isKnownEvent(event)).toBe(false);
  });

  it('keeps content parts of unknown types', () => {
    const raw = envelope('user.message', {
      messageId: 'u',
      parts: [{ type: 'hologram', depth: 3 }],
    });
    expect(parseEvent(raw)).toEqual(raw);
  });

  it('requires runId on run-scoped events only', () => {
    const { runId: _runId, ...withoutRun } = envelope(
      'message.delta',
      SAMPLE_DATA['message.delta'],
    );
    expect(safeParseEvent(withoutRun)).toMatchObject({ success: false });
    expect(safeParseEvent(envelope('session.ended', { reason: 'closed' })).success).toBe(true);
  });

  it('names the failing path', () => {
    const result = safeParseEvent(
      envelope('tool_call.completed', { toolCallId: 'c', status: 'exploded' }),
    );
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).toMatch(/data\.status/);
  });

  it('rejects bad envelopes: seq 0, negative ts, empty session, bad traceparent', () => {
    for (const bad of [
      envelope('notice', SAMPLE_DATA.notice, { seq: 0 }),
      envelope('notice', SAMPLE_DATA.notice, { ts: -1 }),
      envelope('notice', SAMPLE_DATA.notice, { sessionId: '' }),
      envelope('notice', SAMPLE_DATA.notice, { traceparent: 'nope' }),
      null,
      'string',
    ]) {
      expect(safeParseEvent(bad).success).toBe(false);
    }
    const traced = envelope('notice', SAMPLE_DATA.notice, {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(safeParseEvent(traced).success).toBe(true);
  });

  it('refuses events from a newer contract version with a stable code', () => {
    const result = safeParseEvent({ ...envelope('notice', SAMPLE_DATA.notice), v: 2 });
    expect(result).toMatchObject({ success: false, error: { code: 'EVENTS_UNSUPPORTED_VERSION' } });
    expect(() => parseEvent({ ...envelope('notice', SAMPLE_DATA.notice), v: 2 })).toThrow(/newer/);
  });

  it('rejects empty deltas (AG-UI forbids them)', () => {
    expect(safeParseEvent(envelope('message.delta', { messageId: 'm', delta: '' })).success).toBe(
      false,
    );
  });

  it('checks the retry event and the error fields it carries (hint, HTTP status)', () => {
    const retrying = SAMPLE_DATA['generation.retrying'];
    expect(safeParseEvent(envelope('generation.retrying', retrying)).success).toBe(true);
    for (const bad of [
      { ...retrying, delayMs: -1 },
      { ...retrying, nextAttempt: 0 },
      { ...retrying, error: { ...retrying.error, status: 'too many' } },
      { ...retrying, error: { ...retrying.error, hint: 42 } },
    ]) {
      expect(safeParseEvent(envelope('generation.retrying', bad)).success).toBe(false);
    }
    const failed = { error: { message: 'No answer. Check the URL.', hint: 'Check the URL.' } };
    expect(parseEvent(envelope('run.failed', failed)).data).toEqual(failed);
  });

  it('tool events carry the tool identity (1.1) and still accept 1.0 events without it', () => {
    const later = [
      'tool_call.args_delta',
      'tool_call.ready',
      'tool_call.running',
      'tool_call.progress',
      'tool_call.completed',
      'tool_call.approval_requested',
      'tool_call.approval_resolved',
    ] as const;
    for (const type of later) {
      // SAMPLE_DATA is the minimal 1.0 payload, without a name.
      expect(SAMPLE_DATA[type]).not.toHaveProperty('toolName');
      expect(safeParseEvent(envelope(type, SAMPLE_DATA[type])).success).toBe(true);
      const named = { ...SAMPLE_DATA[type], toolName: 'search' };
      expect(parseEvent(envelope(type, named)).data).toEqual(named);
      expect(safeParseEvent(envelope(type, { ...named, toolName: 7 })).success).toBe(false);
    }
    for (const type of [
      'tool_call.ready',
      'tool_call.running',
      'tool_call.completed',
      'tool_call.approval_requested',
    ] as const) {
      const shown = { ...SAMPLE_DATA[type], toolName: 'read', title: 'Reading a.ts', kind: 'read' };
      expect(parseEvent(envelope(type, shown)).data).toEqual(shown);
      // `kind` is an open enum: a newer kind is kept, a non-string is still refused.
      const newer = { ...shown, kind: 'teleport' };
      expect(parseEvent(envelope(type, newer)).data).toEqual(newer);
      expect(safeParseEvent(envelope(type, { ...shown, kind: 7 })).success).toBe(false);
    }
  });

  it('keeps generation purposes it does not know (an open set)', () => {
    const raw = envelope('generation.finished', {
      ...SAMPLE_DATA['generation.finished'],
      purpose: 'moderation',
    });
    expect(parseEvent(raw)).toEqual(raw);
    expect(
      safeParseEvent(
        envelope('generation.started', { ...SAMPLE_DATA['generation.started'], purpose: '' }),
      ).success,
    ).toBe(false);
  });
});
