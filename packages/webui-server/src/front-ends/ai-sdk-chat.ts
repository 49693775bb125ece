import { WebuiServerError } from '../errors/webui-server-error.js';
import {
  uiApprovalResponsePartSchema,
  uiFilePartSchema,
  uiTextPartSchema,
  type ChatBody,
} from '../schemas/front-end-schemas.js';
import { idSchema } from '../schemas/api-schemas.js';
import type { ApprovalAnswer } from '../runs/run-service.js';
import type { ChatFile } from './chat-files.js';
import type { FrontEndAction } from './front-end-run.js';

/**
 * What a `useChat` request asks for, from its last message (the client sends
 * the whole conversation; the server has it already):
 *
 * - a user message: its text parts (joined by newlines) become the run's
 *   input, its file parts its attachments (see `storeChatFiles`), and its
 *   id the idempotency key (`messageId`), so a retried request starts
 *   nothing new;
 * - an assistant message with tool parts in state `approval-responded`
 *   (`addToolApprovalResponse`): those decisions answer the paused run's
 *   approvals.
 *
 * `regenerate-message` is `501 WEBUI_UNSUPPORTED` (agent-core keeps the
 * transcript append-only); anything else is `400 WEBUI_INVALID_REQUEST`.
 */
export function chatAction(body: ChatBody): FrontEndAction {
  if (body.trigger === 'regenerate-message') {
    throw new WebuiServerError({
      code: 'WEBUI_UNSUPPORTED',
      message: 'Regenerating an answer is not supported: the transcript is append-only.',
      hint: 'Send the question again as a new message.',
    });
  }
  const last = body.messages.at(-1)!;
  if (last.role === 'user') {
    const texts: string[] = [];
    const files: ChatFile[] = [];
    for (const part of last.parts) {
      const text = uiTextPartSchema.safeParse(part);
      if (text.success) texts.push(text.data.text);
      const file = uiFilePartSchema.safeParse(part);
      if (file.success) {
        const { url, mediaType, filename } = file.data;
        files.push({ url, mediaType, ...(filename === undefined ? {} : { filename }) });
      }
    }
    const messageId = idSchema.safeParse(last.id);
    return {
      kind: 'message',
      input: { input: texts.join('\n'), ...(messageId.success ? { messageId: last.id } : {}) },
      files,
    };
  }
  if (last.role === 'assistant') {
    const answers = last.parts.flatMap((part): ApprovalAnswer[] => {
      const responded = uiApprovalResponsePartSchema.safeParse(part);
      if (!responded.success) return [];
      const { id, approved, reason } = responded.data.approval;
      return [{ requestId: id, approved, ...(reason === undefined ? {} : { reason }) }];
    });
    if (answers.length > 0) return { kind: 'answers', answers };
  }
  throw new WebuiServerError({
    code: 'WEBUI_INVALID_REQUEST',
    message: `Invalid request: body.messages ends with a ${last.role} message that asks for nothing (no user text, no approval response).`,
    hint: 'Send a user message, or answer an approval with addToolApprovalResponse.',
  });
}
