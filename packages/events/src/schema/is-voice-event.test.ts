import { describe, expect, expectTypeOf, it } from 'vitest';
import { loadFixture } from '../fixtures/index.js';
import type { AgentEvent, AnyEvent } from './agent-event.js';
import { EVENT_TYPES, SESSION_SCOPED_TYPES, type EventType } from './event-catalog.js';
import { VOICE_EVENT_TYPES, isVoiceEvent, type VoiceEvent } from './is-voice-event.js';

const event = (type: string, data: unknown = {}): AnyEvent => ({
  v: 1,
  type,
  seq: 1,
  ts: 1_700_000_000_000,
  sessionId: 'ses_1',
  data,
});

describe('isVoiceEvent', () => {
  it('lists every voice.* type of the catalogue, in catalogue order', () => {
    expect(VOICE_EVENT_TYPES).toEqual(EVENT_TYPES.filter((type) => type.startsWith('voice.')));
    for (const type of VOICE_EVENT_TYPES) expect(SESSION_SCOPED_TYPES.has(type)).toBe(true);
  });

  it('is true for every voice type and false for every other known type', () => {
    for (const type of EVENT_TYPES) {
      expect(isVoiceEvent(event(type)), type).toBe(type.startsWith('voice.'));
    }
  });

  it('is false for a voice.* type this version does not know (an unknown event)', () => {
    expect(isVoiceEvent(event('voice.lip_sync', { frame: 1 }))).toBe(false);
    expect(isVoiceEvent(event('voiceover.started'))).toBe(false);
  });

  it('picks the voice events out of the voice-turn fixture', () => {
    const events = loadFixture('voice-turn');
    const voice = events.filter(isVoiceEvent);
    expect(voice.length).toBeGreaterThan(0);
    expect(voice.every((e) => e.type.startsWith('voice.'))).toBe(true);
    expect(events.filter((e) => !isVoiceEvent(e)).some((e) => e.type === 'user.message')).toBe(
      true,
    );
  });

  it('narrows both branches', () => {
    const narrow = (e: AgentEvent) => {
      if (isVoiceEvent(e)) {
        expectTypeOf(e).toEqualTypeOf<VoiceEvent>();
        return 'voice';
      }
      expectTypeOf(e.type).toEqualTypeOf<Exclude<EventType, `voice.${string}`>>();
      return e.type;
    };
    const closed: AgentEvent<'voice.closed'> = {
      ...event('voice.closed'),
      type: 'voice.closed',
      data: { reason: 'input_ended' },
    };
    expect(narrow(closed)).toBe('voice');
  });
});
