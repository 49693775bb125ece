import { describe, expect, it } from 'vitest';
import { loadFixture } from '../fixtures/index.js';
import { reduceEvents } from '../view/reduce-session.js';
import { safeParseEvent } from './parse-event.js';

const voice = (type: string, data: unknown, extra: Record<string, unknown> = {}) => ({
  v: 1,
  type,
  seq: 4,
  ts: 1_700_000_000_000,
  sessionId: 'ses_1',
  data,
  ...extra,
});

describe('voice events', () => {
  it('are session-scoped: valid without a runId, and with one', () => {
    const data = { speechId: 'sp_1', resumed: true };
    expect(safeParseEvent(voice('voice.false_interruption', data)).success).toBe(true);
    const inRun = safeParseEvent(voice('voice.false_interruption', data, { runId: 'run_1' }));
    expect(inRun).toMatchObject({ success: true, event: { runId: 'run_1' } });
  });

  it.each([
    ['an unknown agent state', 'voice.agent_state', { state: 'idle' }, 'data.state'],
    ['an unknown user state', 'voice.user_state', { state: 'sleeping' }, 'data.state'],
    [
      'a confidence above 1',
      'voice.transcript',
      { text: 'a', final: true, confidence: 2 },
      'data.confidence',
    ],
    ['a transcript without final', 'voice.transcript', { text: 'a' }, 'data.final'],
    [
      'a negative spoken duration',
      'voice.speech_finished',
      { speechId: 's', spokenMs: -1, interrupted: false },
      'data.spokenMs',
    ],
    [
      // Unknown reasons are accepted (open enums, see open-enum.test.ts); non-strings are not.
      'a non-string interrupt reason',
      'voice.speech_interrupted',
      { speechId: 's', spokenMs: 1, reason: 3 },
      'data.reason',
    ],
    [
      'an empty skip reason',
      'voice.user_turn_skipped',
      { transcript: 'a', reason: '' },
      'data.reason',
    ],
    ['an empty speech id', 'voice.speech_paused', { speechId: '', spokenMs: 1 }, 'data.speechId'],
  ] as const)('rejects %s', (...[, type, data, path]) => {
    const result = safeParseEvent(voice(type, data));
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.code).toBe('EVENTS_INVALID_EVENT');
      expect(result.error.message).toContain(path);
    }
  });

  it('keep unknown fields (tolerant reader)', () => {
    const result = safeParseEvent(voice('voice.metrics', { timeToFirstAudioMs: 640, x: 1 }));
    expect(result).toMatchObject({ success: true, event: { data: { x: 1 } } });
  });

  it('voice-turn fixture: the view shows the voice states and the spoken turns as user messages', () => {
    const events = loadFixture('voice-turn');
    const view = reduceEvents(events);
    expect(view.voice).toEqual({ agentState: 'thinking', userState: 'listening' });
    const users = view.items
      .toArray()
      .filter((item) => item.kind === 'message' && item.role === 'user');
    expect(users.map((item) => (item.kind === 'message' ? [item.text, item.source] : []))).toEqual([
      ['what is the weather in paris', 'voice'],
      ['thanks', 'voice'],
    ]);
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'voice.agent_state')).toHaveLength(10);
    expect(types).toContain('voice.false_interruption');
  });
});
