import { z } from 'zod';

// Request bodies of the standard front ends: what the AI SDK's
// DefaultChatTransport (useChat) and AG-UI's HttpAgent send. Loose where the
// clients may add fields (a transport's extra `body`, newer protocol fields):
// only what the server reads is checked, the rest is ignored.

/** One part of a UIMessage (text, file, tool-*, dynamic-tool, data-*, …). */
const uiPartSchema = z.looseObject({ type: z.string().min(1) });

/** A UIMessage of ai@6 as far as the server reads it. */
const uiMessageSchema = z.looseObject({
  id: z.string().min(1).max(200),
  role: z.enum(['system', 'user', 'assistant']),
  parts: z.array(uiPartSchema).max(10_000),
});

/**
 * The body `DefaultChatTransport` sends (`{id, messages, trigger,
 * messageId}`, plus the transport's own `body` fields, ignored). Only the
 * last message is read: a new user message, or the assistant message whose
 * tool approvals were answered (`addToolApprovalResponse`).
 */
export const chatBodySchema = z.looseObject({
  /** The chat id of the client (the session is the one in the path). */
  id: z.string().max(200).optional(),
  messages: z.array(uiMessageSchema).min(1).max(100_000),
  trigger: z.enum(['submit-message', 'regenerate-message']).default('submit-message'),
  messageId: z.string().max(200).optional(),
});
export type ChatBody = z.output<typeof chatBodySchema>;
export type UiMessageJson = z.output<typeof uiMessageSchema>;

/** A text part of a UIMessage. */
export const uiTextPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

/** A file part of a UIMessage (`sendMessage({ files })` sends data URLs). */
export const uiFilePartSchema = z.looseObject({
  type: z.literal('file'),
  mediaType: z.string(),
  url: z.string(),
  filename: z.string().optional(),
});

/** A tool part the user answered with `addToolApprovalResponse`. */
export const uiApprovalResponsePartSchema = z.looseObject({
  type: z.string().regex(/^(tool-|dynamic-tool$)/),
  state: z.literal('approval-responded'),
  toolCallId: z.string(),
  approval: z.looseObject({
    id: z.string(),
    approved: z.boolean(),
    reason: z.string().optional(),
  }),
});

/** An AG-UI message as far as the server reads it (the user message's content). */
const agUiMessageSchema = z.looseObject({
  id: z.string().min(1).max(200),
  role: z.string().min(1),
  content: z.unknown().optional(),
});

/** An answer to an AG-UI interrupt (a run paused for approval). */
const agUiResumeEntrySchema = z.looseObject({
  /** The interrupt's id: the approval's request id. */
  interruptId: z.string().min(1).max(200),
  /** `cancelled` denies the call. */
  status: z.enum(['resolved', 'cancelled']),
  /** For `resolved`: `{approved, reason?, always?}`. */
  payload: z.unknown().optional(),
});

/**
 * AG-UI's `RunAgentInput` as `HttpAgent` posts it. `threadId` is the client's
 * (the session is the one in the path); `tools`, `context`, `state` and
 * `forwardedProps` are accepted and not used: the agent has its own tools.
 */
export const agUiRunInputSchema = z.looseObject({
  threadId: z.string().max(200),
  runId: z.string().max(200),
  messages: z.array(agUiMessageSchema).max(100_000),
  resume: z.array(agUiResumeEntrySchema).max(100).optional(),
});
export type AgUiRunInput = z.output<typeof agUiRunInputSchema>;

/** The payload of a `resolved` resume entry. */
export const agUiApprovalPayloadSchema = z.looseObject({
  approved: z.boolean(),
  reason: z.string().max(2000).optional(),
  always: z.boolean().optional(),
});

/** An AG-UI text content part of a user message. */
export const agUiTextContentSchema = z.looseObject({ type: z.literal('text'), text: z.string() });
