import { describe, expect, it } from 'vitest';
import { loadFixture } from '../fixtures/index.js';
import { reduceEvents } from '../view/reduce-session.js';
import { safeParseEvent } from './parse-event.js';

const event = (type: string, data: unknown) => ({
  v: 1,
  type,
  seq: 3,
  ts: 1_700_000_000_000,
  sessionId: 'ses_1',
  runId: 'run_1',
  data,
});

describe('voice control in the contract (say, reply, truncation, withdrawal, tool steps)', () => {
  it('accepts the say and reply triggers, withdrawn runs and the tool-step limit', () => {
    for (const trigger of ['say', 'reply'])
      expect(safeParseEvent(event('run.started', { trigger })).success).toBe(true);
    const withdrawn = { stopReason: 'cancelled', durationMs: 5, withdrawn: true };
    expect(safeParseEvent(event('run.finished', withdrawn)).success).toBe(true);
    const limit = { maxSteps: 3, limit: 'tool_steps' };
    expect(safeParseEvent(event('loop.budget_exhausted', limit)).success).toBe(true);
  });

  it.each([
    // An unknown trigger is accepted (open enum, see open-enum.test.ts); an empty one is not.
    ['an empty trigger', 'run.started', { trigger: '' }, 'data.trigger'],
    [
      'withdrawn: false (only true is meaningful)',
      'run.finished',
      { stopReason: 'cancelled', durationMs: 5, withdrawn: false },
      'data.withdrawn',
    ],
    ['an unknown limit', 'loop.budget_exhausted', { maxSteps: 3, limit: 'x' }, 'data.limit'],
    [
      'a negative spoken duration',
      'message.completed',
      { messageId: 'm', status: 'interrupted', spokenMs: -1 },
      'data.spokenMs',
    ],
  ] as const)('rejects %s', (...[, type, data, path]) => {
    const result = safeParseEvent(event(type, data));
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).toContain(path);
  });

  it('voice-control fixture: the view drops the withdrawn run and keeps the spoken part of a cut reply', () => {
    const events = loadFixture('voice-control');
    for (const stamped of events) expect(safeParseEvent(stamped).success).toBe(true);
    const view = reduceEvents(events);
    const messages = view.items
      .toArray()
      .flatMap((item) => (item.kind === 'message' ? [item] : []));
    expect(messages.map((m) => [m.role, m.text, m.status, m.spokenMs])).toEqual([
      ['assistant', 'Hello! How can I help?', 'completed', undefined],
      ['user', 'set a timer for ten minutes', 'completed', undefined],
      ['assistant', 'Done. A timer for ten minutes is running.', 'interrupted', 2140],
      ['assistant', 'Anything else?', 'completed', undefined],
    ]);
    expect(view.items.toArray().some((item) => item.runId === 'run_02')).toBe(false);
    expect(view.open).toEqual([]);
    expect(view.turns.toArray().map((turn) => turn.trigger)).toEqual([
      'say',
      'user',
      'user',
      'reply',
    ]);
    expect(view.run).toMatchObject({ runId: 'run_04', trigger: 'reply', status: 'finished' });
  });

  it('a withdrawn run drops only its own items; later items are still found by id', () => {
    const events = loadFixture('voice-control');
    const view = reduceEvents(events);
    // msg_a4 streamed after the drop: its deltas found it through the rebuilt index.
    const last = view.items.last();
    expect(last).toMatchObject({ kind: 'message', id: 'msg_a4', text: 'Anything else?' });
  });
});
