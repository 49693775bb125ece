import { z } from 'zod';
import { openEnum } from './open-enum.js';
import { contentPartSchema } from './shared-schemas.js';

/** How a streamed message or reasoning block ended. */
export const streamEndStatusSchema = z.enum(['completed', 'cancelled', 'interrupted', 'failed']);

/** `message.started`: the model begins an assistant message. */
export const messageStartedData = z.looseObject({
  messageId: z.string(),
  role: z.enum(['assistant', 'system']),
});

/** `message.delta`: a piece of the message text. Never empty. */
export const messageDeltaData = z.looseObject({
  messageId: z.string(),
  delta: z.string().min(1),
});

/**
 * `message.completed`: the message ended. `text` is the full text as kept in
 * the transcript, also when the message was cut short (`status` says so).
 *
 * Voice: a reply is spoken after the model wrote it, so a barge-in may cut it
 * after its first `message.completed` (even after its `run.finished`). The
 * message then completes again, with `status: 'interrupted'`, `spokenMs` and
 * `text` cut to what was spoken; the transcript keeps that text, so the next
 * model call sees only what the user heard. The later event wins.
 */
export const messageCompletedData = z.looseObject({
  messageId: z.string(),
  text: z.string().optional(),
  status: streamEndStatusSchema.optional(),
  /** Voice: how much of the message was spoken before a barge-in. */
  spokenMs: z.number().nonnegative().optional(),
});

/** `user.message`: what the user said or typed, as stored in the transcript. */
export const userMessageData = z.looseObject({
  messageId: z.string(),
  parts: z.array(contentPartSchema).min(1),
  source: openEnum(z.enum(['text', 'voice', 'steer'])).optional(),
});

/** `reasoning.started`: the model begins a reasoning (thinking) block. */
export const reasoningStartedData = z.looseObject({ reasoningId: z.string() });

/** `reasoning.delta`: a piece of reasoning text. Never empty. */
export const reasoningDeltaData = z.looseObject({
  reasoningId: z.string(),
  delta: z.string().min(1),
});

/** `reasoning.completed`. */
export const reasoningCompletedData = z.looseObject({
  reasoningId: z.string(),
  text: z.string().optional(),
  /** The provider returned reasoning only in encrypted or redacted form. */
  redacted: z.boolean().optional(),
  status: streamEndStatusSchema.optional(),
});
