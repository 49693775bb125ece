import { WebuiServerError } from '../errors/webui-server-error.js';
import type { ApprovalAnswer } from '../runs/run-service.js';
import { idSchema } from '../schemas/api-schemas.js';
import {
  agUiApprovalPayloadSchema,
  agUiTextContentSchema,
  type AgUiRunInput,
} from '../schemas/front-end-schemas.js';
import type { FrontEndAction } from './front-end-run.js';

/**
 * What an AG-UI `RunAgentInput` asks for:
 *
 * - with `resume` entries: the answers to the interrupts of the paused run
 *   (`interruptId` is the approval's request id). `resolved` takes its
 *   payload `{approved, reason?, always?}`; `cancelled` denies the call.
 * - otherwise the last `user` message of `messages` (the client sends the
 *   whole conversation) is the run's input: its text (a string, or the text
 *   parts of a content list), with its id as the idempotency key.
 *
 * Anything else is `400 WEBUI_INVALID_REQUEST`.
 */
export function agUiAction(input: AgUiRunInput): FrontEndAction {
  if (input.resume?.length) {
    const answers = input.resume.map((entry, index): ApprovalAnswer => {
      if (entry.status === 'cancelled')
        return { requestId: entry.interruptId, approved: false, reason: 'cancelled' };
      const payload = agUiApprovalPayloadSchema.safeParse(entry.payload);
      if (!payload.success) {
        throw new WebuiServerError({
          code: 'WEBUI_INVALID_REQUEST',
          message: `Invalid request: body.resume.${index}.payload must be {approved: boolean, reason?, always?}.`,
        });
      }
      return { requestId: entry.interruptId, ...payload.data };
    });
    return { kind: 'answers', answers };
  }
  const user = input.messages.findLast((message) => message.role === 'user');
  if (!user) {
    throw new WebuiServerError({
      code: 'WEBUI_INVALID_REQUEST',
      message: 'Invalid request: body.messages has no user message and body.resume is empty.',
      hint: 'Add a user message (agent.addMessage) before runAgent(), or resume the interrupts.',
    });
  }
  const messageId = idSchema.safeParse(user.id);
  return {
    kind: 'message',
    input: { input: textOf(user.content), ...(messageId.success ? { messageId: user.id } : {}) },
  };
}

/** The text of an AG-UI user message's content: a string, or the text parts of a list. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .flatMap((part) => {
      const text = agUiTextContentSchema.safeParse(part);
      return text.success ? [text.data.text] : [];
    })
    .join('\n');
}
