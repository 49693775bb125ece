import type { AgentSession } from '@switchboard/agent-core';
import type { EventBus } from '@switchboard/events';
import type { Clock } from '../clock/clock.js';
import type { Stt } from '../stt/stt.js';
import type { Tts } from '../tts/tts.js';
import type { Vad } from '../vad/vad.js';
import type { VoiceSessionOptions } from './voice-session-options.js';

/** Where the agent's audio goes: one 20 ms frame per tick (silence while it is quiet). */
export interface AudioSink {
  write(frame: Int16Array): void;
}

/** A turn of the voice conversation as spoken (the agent session keeps the model's text). */
export interface VoiceHistoryItem {
  role: 'user' | 'assistant';
  text: string;
  /** Assistant: cut short by the user; `text` is what was spoken. */
  interrupted?: boolean;
  spokenMs?: number;
  speechId?: string;
}

/** What a {@link VoiceSession} is built from. */
export interface VoiceSessionInit {
  /** The agent's bus (`agent.bus`): voice events share the session's `seq`. */
  bus: EventBus;
  /** The agent-core session that answers each user turn. */
  agentSession: AgentSession;
  vad: Vad;
  stt: Stt;
  tts: Tts;
  /** Session time; a `ManualClock` (the default) is advanced 20 ms per pushed frame. */
  clock?: Clock;
  output?: AudioSink;
  options?: VoiceSessionOptions;
}
