import type { AgentEvent, AnyEvent } from './agent-event.js';
import type { EventType } from './event-catalog.js';

// Kept apart from the voice schemas (`voice-events.ts`) so the guard carries no zod: the client
// entry and the view reducer stay light.

/** A voice event type: every `voice.*` type of the catalogue. */
export type VoiceEventType = Extract<EventType, `voice.${string}`>;

/**
 * Every voice event type, in catalogue order. `satisfies` keeps each name a
 * real catalogue type; `is-voice-event.test.ts` checks that none is missing.
 */
export const VOICE_EVENT_TYPES = [
  'voice.agent_state',
  'voice.user_state',
  'voice.transcript',
  'voice.speech_created',
  'voice.speech_paused',
  'voice.speech_resumed',
  'voice.speech_interrupted',
  'voice.speech_finished',
  'voice.false_interruption',
  'voice.user_turn_skipped',
  'voice.metrics',
  'voice.error',
  'voice.closed',
] as const satisfies readonly VoiceEventType[];

/**
 * A known voice event: what a voice session says about turn taking and
 * speech playout (`voice.*`). Consumers that have nothing to do with audio
 * skip these with {@link isVoiceEvent} instead of listing each type.
 */
export type VoiceEvent = AgentEvent<VoiceEventType>;

const voiceTypes: ReadonlySet<string> = new Set(VOICE_EVENT_TYPES);

/**
 * True for a known voice event (narrows to {@link VoiceEvent}; on the other
 * branch an {@link AgentEvent} narrows to the non-voice types, so a switch
 * after it stays exhaustive without the voice cases). A `voice.*` type this
 * contract version does not know is not a voice event here: it is an unknown
 * event, like any newer type.
 *
 * ```ts
 * if (isVoiceEvent(event)) return []; // nothing to draw for audio
 * switch (event.type) { ... }
 * ```
 */
export function isVoiceEvent(event: AnyEvent): event is VoiceEvent {
  return voiceTypes.has(event.type);
}
