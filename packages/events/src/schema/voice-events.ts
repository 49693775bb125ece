import { z } from 'zod';
import { openEnum } from './open-enum.js';

// Voice events (contract 1.x, additive): what a voice session (`@switchboard/voice-session`) says
// about turn taking and speech playout. Times are milliseconds. They are session-scoped: most of
// them happen between runs (the user starts speaking, goes away); those tied to a reply's run carry
// its `runId` as well.

/** What the agent is doing, as a voice UI shows it. */
export const voiceAgentStateSchema = z.enum(['initializing', 'listening', 'thinking', 'speaking']);
export type VoiceAgentState = z.infer<typeof voiceAgentStateSchema>;

/** What the user is doing: `away` after a stretch of silence on both sides. */
export const voiceUserStateSchema = z.enum(['listening', 'speaking', 'away']);
export type VoiceUserState = z.infer<typeof voiceUserStateSchema>;

/** `voice.agent_state`: the agent's state changed. */
export const voiceAgentStateData = z.looseObject({
  state: voiceAgentStateSchema,
  previous: voiceAgentStateSchema.optional(),
});

/** `voice.user_state`: the user's state changed. */
export const voiceUserStateData = z.looseObject({
  state: voiceUserStateSchema,
  previous: voiceUserStateSchema.optional(),
});

/**
 * `voice.transcript`: what the speech recogniser heard. Interim results
 * (`final: false`) may change; a final one closes a speech segment (its text
 * may be empty: a cough, a hum). The user's turn itself is the `user.message`
 * (`source: 'voice'`) of the run it starts.
 */
export const voiceTranscriptData = z.looseObject({
  text: z.string(),
  final: z.boolean(),
  /** BCP 47 tag, when the recogniser says. */
  language: z.string().optional(),
  /** 0 to 1, when the recogniser gives one. */
  confidence: z.number().min(0).max(1).optional(),
  /** Session time of the segment's first and last speech. */
  startMs: z.number().nonnegative().optional(),
  endMs: z.number().nonnegative().optional(),
});

/** Why an agent speech exists. */
export const voiceSpeechSourceSchema = z.enum(['say', 'generate_reply']);

/** `voice.speech_created`: the agent will speak (a `say()` or a model reply). */
export const voiceSpeechCreatedData = z.looseObject({
  speechId: z.string().min(1),
  source: openEnum(voiceSpeechSourceSchema),
  /** False for speech the user cannot barge into. */
  allowInterruptions: z.boolean(),
  /** The text given to `say()` (a reply's text streams as `message.*`). */
  text: z.string().optional(),
});

/** `voice.speech_paused`: playout paused because the user started speaking over it. */
export const voiceSpeechPausedData = z.looseObject({
  speechId: z.string().min(1),
  /** Audio played so far. */
  spokenMs: z.number().nonnegative(),
});

/** `voice.speech_resumed`: playout resumed after a false interruption. */
export const voiceSpeechResumedData = z.looseObject({
  speechId: z.string().min(1),
  spokenMs: z.number().nonnegative(),
});

/** Why a speech was cut short. */
export const voiceInterruptReasonSchema = z.enum([
  'user_speech',
  'user_turn',
  'false_interruption',
  'api',
  'error',
  'closed',
]);

/**
 * `voice.speech_interrupted`: playout stopped for good. `text` is what was
 * spoken (the words whose audio started before the cut); the history keeps it
 * marked interrupted.
 */
export const voiceSpeechInterruptedData = z.looseObject({
  speechId: z.string().min(1),
  reason: openEnum(voiceInterruptReasonSchema),
  spokenMs: z.number().nonnegative(),
  text: z.string().optional(),
});

/** `voice.speech_finished`: a speech ended, played out or interrupted. */
export const voiceSpeechFinishedData = z.looseObject({
  speechId: z.string().min(1),
  spokenMs: z.number().nonnegative(),
  interrupted: z.boolean(),
});

/**
 * `voice.false_interruption`: the user spoke over the agent but said nothing
 * (no words before the timeout); the paused speech was resumed, or not.
 */
export const voiceFalseInterruptionData = z.looseObject({
  speechId: z.string().min(1),
  resumed: z.boolean(),
});

/** Why a user turn was dropped without a reply. */
export const voiceTurnSkipReasonSchema = z.enum([
  'min_interruption_words',
  'uninterruptible',
  'cleared',
]);

/** `voice.user_turn_skipped`: the user said something that does not make a turn. */
export const voiceUserTurnSkippedData = z.looseObject({
  transcript: z.string(),
  reason: openEnum(voiceTurnSkipReasonSchema),
});

/**
 * `voice.metrics`: latencies of one user turn. `endOfUtteranceDelayMs` is
 * from the end of the user's speech to the turn decision,
 * `transcriptionDelayMs` from the end of speech to the final transcript,
 * `timeToFirstAudioMs` from the end of speech to the agent's first audio.
 */
export const voiceMetricsData = z.looseObject({
  endOfUtteranceDelayMs: z.number().nonnegative().optional(),
  transcriptionDelayMs: z.number().nonnegative().optional(),
  timeToFirstAudioMs: z.number().nonnegative().optional(),
  /** Model step: turn decision to first text. */
  llmFirstTokenMs: z.number().nonnegative().optional(),
  /** Speech synthesis: first text sentence to its first audio. */
  ttsFirstAudioMs: z.number().nonnegative().optional(),
});

/** `voice.error`: a voice engine failed; `recoverable: false` counts towards closing. */
export const voiceErrorData = z.looseObject({
  code: z.string().min(1),
  message: z.string(),
  recoverable: z.boolean(),
  /** Consecutive unrecoverable errors so far. */
  consecutive: z.number().int().nonnegative().optional(),
});

/** `voice.closed`: the voice session stopped (the agent session may go on). */
export const voiceClosedData = z.looseObject({
  reason: openEnum(z.enum(['user_initiated', 'input_ended', 'error'])),
});
