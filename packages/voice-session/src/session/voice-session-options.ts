import { z } from 'zod';

/** A custom end-of-turn model (LiveKit's `_TurnDetector` contract). */
export interface TurnDetector {
  /** Probability that the user finished their turn, given what they said. */
  predictEndOfTurn(transcript: string): Promise<number> | number;
  /** Below this probability the endpointing delay stretches to `maxEndpointingMs`. */
  unlikelyThreshold: number;
}

const turnDetectorSchema = z.custom<TurnDetector>(
  (value) =>
    typeof value === 'object' &&
    value != null &&
    typeof (value as TurnDetector).predictEndOfTurn === 'function' &&
    typeof (value as TurnDetector).unlikelyThreshold === 'number',
  'a TurnDetector { predictEndOfTurn(), unlikelyThreshold }',
);

const transformSchema = z.union([
  z.enum(['filter_markdown', 'filter_emoji']),
  z.custom<(text: string) => string>((value) => typeof value === 'function', 'a function'),
]);

/**
 * Options of a {@link VoiceSession}, in milliseconds, with LiveKit's
 * defaults. Parsed once at construction.
 */
export const voiceSessionOptionsSchema = z.strictObject({
  /**
   * How the end of the user's turn is found: `vad` (silence after speech),
   * `stt` (the final transcript), `manual` (`commitUserTurn()` only) or a
   * custom {@link TurnDetector} (VAD plus its probability).
   */
  turnDetection: z.union([z.enum(['vad', 'stt', 'manual']), turnDetectorSchema]).default('vad'),
  /** Wait at least this long after the user's speech before ending the turn. */
  minEndpointingMs: z.number().nonnegative().default(500),
  /** ...and at most this long, when a turn detector thinks the user is not done. */
  maxEndpointingMs: z.number().nonnegative().default(3000),
  /** Speech the user must produce over the agent before it yields. */
  minInterruptionMs: z.number().nonnegative().default(500),
  /** Words the user must say over the agent before it yields (0: any speech). */
  minInterruptionWords: z.number().int().nonnegative().default(0),
  /** After a wordless interruption, resume (or give up) after this long; null disables. */
  falseInterruptionTimeoutMs: z.number().nonnegative().nullable().default(2000),
  /** Pause on barge-in and resume after a false interruption (else stop at once). */
  resumeFalseInterruption: z.boolean().default(true),
  /** Both quiet this long: the user is `away`; null disables. */
  userAwayTimeoutMs: z.number().nonnegative().nullable().default(15_000),
  /** Close the voice session after more than this many unrecoverable errors in a row. */
  maxUnrecoverableErrors: z.number().int().nonnegative().default(3),
  /** Rewrites of reply text before speech; null keeps the text as is. */
  ttsTextTransforms: z
    .array(transformSchema)
    .nullable()
    .default(['filter_markdown', 'filter_emoji']),
  /**
   * Start the reply on each final transcript, before the end of the turn is
   * decided; use it if the turn ends with the same words, withdraw it if the
   * user goes on (LiveKit's `preemptive_generation`).
   */
  preemptiveGeneration: z.boolean().default(false),
  /** Rounds of tool calls one reply may make (each reply's agent-core run). */
  maxToolSteps: z.number().int().nonnegative().default(3),
  /** Drop what the user says over uninterruptible speech (it makes no turn). */
  discardAudioIfUninterruptible: z.boolean().default(true),
  /** Audio before the VAD's start fed to the recogniser, so the first phoneme is not lost. */
  prefixPaddingMs: z.number().nonnegative().default(500),
  /** How often an interim transcript is taken while the user speaks. */
  interimEveryMs: z.number().positive().default(300),
});

export type VoiceSessionOptions = z.input<typeof voiceSessionOptionsSchema>;
export type ResolvedVoiceSessionOptions = z.output<typeof voiceSessionOptionsSchema>;
