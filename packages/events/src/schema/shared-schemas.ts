import { z } from 'zod';

/** Non-negative integer (token counts, byte sizes). */
const count = z.number().int().nonnegative();

/** A non-negative duration in milliseconds. */
export const durationMsSchema = z.number().nonnegative().describe('Duration in milliseconds.');

/**
 * Token counts of one model call or an aggregate. Shape of AG-UI's
 * `TokenUsage` plus cache-creation and audio counts, which map 1:1 onto
 * OpenTelemetry `gen_ai.usage.*`. `cachedInputTokens` is a subset of
 * `inputTokens`, never added on top of it.
 */
export const tokenUsageSchema = z.looseObject({
  provider: z.string().optional(),
  model: z.string().optional(),
  inputTokens: count.optional(),
  outputTokens: count.optional(),
  totalTokens: count.optional(),
  /** Part of outputTokens spent on reasoning. */
  reasoningTokens: count.optional(),
  /** Part of inputTokens served from the provider's prompt cache. */
  cachedInputTokens: count.optional(),
  /** Input tokens written to the provider's prompt cache. */
  cacheCreationInputTokens: count.optional(),
  inputAudioTokens: count.optional(),
  outputAudioTokens: count.optional(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** A monetary amount. */
export const costSchema = z.looseObject({
  amount: z.number().nonnegative(),
  /** ISO 4217 code. */
  currency: z.string().min(3).max(3),
});
export type Cost = z.infer<typeof costSchema>;

/** An error as it travels in events: stable code, message, retry hint. Never a stack. */
export const errorInfoSchema = z.looseObject({
  /** What went wrong, for people; ends with the `hint` when there is one. */
  message: z.string(),
  code: z.string().optional(),
  retryable: z.boolean().optional(),
  /** What the user can do about it, on its own (also the last sentence of `message`). */
  hint: z.string().optional(),
  /** HTTP status of the failed request, when there was a response. */
  status: z.number().int().optional(),
});
export type ErrorInfo = z.infer<typeof errorInfoSchema>;

/** Set when a value was cut to fit a size limit. */
export const truncationSchema = z.looseObject({
  originalBytes: count,
  keptBytes: count,
  /** Where the full value was stored, if it was. */
  assetId: z.string().optional(),
});
export type Truncation = z.infer<typeof truncationSchema>;

/** Which agent produced a run. */
export const agentRefSchema = z.looseObject({
  name: z.string().min(1),
  id: z.string().optional(),
  version: z.string().optional(),
});
export type AgentRef = z.infer<typeof agentRefSchema>;

const mediaFields = {
  /** Remote or data URL. One of url or data is present. */
  url: z.string().optional(),
  /** Base64 content. */
  data: z.string().optional(),
  mediaType: z.string(),
};

/**
 * Known content parts: the intersection of ACP content blocks and tool-call
 * content, AG-UI 1.0 parts and AI SDK parts.
 */
export const knownContentPartSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('image'), ...mediaFields }),
  z.looseObject({ type: z.literal('audio'), ...mediaFields, transcript: z.string().optional() }),
  z.looseObject({ type: z.literal('file'), ...mediaFields, filename: z.string().optional() }),
  z.looseObject({
    type: z.literal('resource_link'),
    uri: z.string(),
    name: z.string().optional(),
    mediaType: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal('diff'),
    path: z.string(),
    oldText: z.string().optional(),
    newText: z.string(),
  }),
  z.looseObject({ type: z.literal('terminal'), terminalId: z.string() }),
  z.looseObject({ type: z.literal('source'), url: z.string(), title: z.string().optional() }),
]);

/**
 * A content part. Part types added by a later contract version are kept as
 * opaque objects rather than rejected (tolerant reader).
 */
export const contentPartSchema = z.union([
  knownContentPartSchema,
  z.looseObject({ type: z.string() }),
]);
export type KnownContentPart = z.infer<typeof knownContentPartSchema>;
export type ContentPart = z.infer<typeof contentPartSchema>;

/** Why a run paused waiting for outside input (AG-UI's interrupt shape). */
export const interruptSchema = z.looseObject({
  interruptId: z.string(),
  /** `tool_approval`, `clarify`, or an application-defined reason. */
  reason: z.string(),
  toolCallId: z.string().optional(),
  message: z.string().optional(),
  /** ISO 8601 time after which the request is answered by its fallback. */
  expiresAt: z.string().optional(),
});
export type Interrupt = z.infer<typeof interruptSchema>;

/** Arbitrary JSON (tool input and output). */
export const jsonValueSchema = z.unknown().describe('Any JSON value.');
