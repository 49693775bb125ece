import type {
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3ToolResultPart,
} from '@ai-sdk/provider';
import { reviveFileUrl } from './user-content.js';
import {
  SNAPSHOT_VERSION,
  type SessionSnapshot,
  type TranscriptEntry,
} from './session-snapshot.js';

/** What the model is told about a tool call whose result never arrived (a crash or cancel). */
export const MISSING_TOOL_RESULT = 'No result: the call was interrupted before it finished.';

/** A new, empty session snapshot. */
export function createEmptySnapshot(init: {
  sessionId: string;
  agentName: string;
  userId?: string;
  /** The session's model id (see `SessionSnapshot.model`). */
  model?: string;
  now: number;
}): SessionSnapshot {
  return {
    version: SNAPSHOT_VERSION,
    sessionId: init.sessionId,
    agentName: init.agentName,
    ...(init.userId === undefined ? {} : { userId: init.userId }),
    ...(init.model === undefined ? {} : { model: init.model }),
    createdAt: init.now,
    updatedAt: init.now,
    status: 'idle',
    turn: 0,
    transcript: [],
    pending: [],
    queuedSteers: [],
    totals: { usage: {}, apiCalls: 0 },
  };
}

/**
 * The provider prompt for a transcript. Only the `message` of each entry is
 * sent: display metadata never leaves the process. Entries shown for the
 * user only (errors) and entries replaced by a compaction summary are left
 * out; partial answers cut by a cancel stay in, so the model knows what it
 * already said.
 *
 * Providers reject a tool call without a result and a result without its call.
 * A call left without a result (a crash mid-tool) gets a synthetic error
 * result right after its assistant message; a result whose call is not in the
 * prompt is dropped.
 */
export function toProviderPrompt(
  system: string,
  transcript: readonly TranscriptEntry[],
): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = system ? [{ role: 'system', content: system }] : [];
  /** Calls of the latest assistant message still waiting for a result, in order. */
  let open = new Map<string, string>();
  const closeOpenCalls = () => {
    if (open.size === 0) return;
    const parts: LanguageModelV3ToolResultPart[] = [...open].map(([toolCallId, toolName]) => ({
      type: 'tool-result',
      toolCallId,
      toolName,
      output: { type: 'error-text', value: MISSING_TOOL_RESULT },
    }));
    appendToolParts(prompt, parts);
    open = new Map();
  };
  for (const entry of transcript) {
    if (entry.display.archived === true || entry.display.status === 'error') continue;
    const message = entry.message;
    if (message.role === 'tool') {
      const parts = message.content.filter(
        (part) => part.type !== 'tool-result' || open.delete(part.toolCallId),
      );
      if (parts.length > 0) appendToolParts(prompt, parts);
      continue;
    }
    closeOpenCalls();
    if (message.role === 'user') {
      prompt.push({
        ...message,
        content: message.content.map((part) => (part.type === 'file' ? reviveFileUrl(part) : part)),
      });
      continue;
    }
    if (message.role === 'assistant') {
      if (message.content.length === 0) continue;
      for (const part of message.content) {
        if (part.type === 'tool-call' && part.providerExecuted !== true) {
          open.set(part.toolCallId, part.toolName);
        }
      }
    }
    prompt.push(message);
  }
  closeOpenCalls();
  return prompt;
}

/** Adds tool parts to a trailing tool message, or starts one (keeps one tool message per step). */
function appendToolParts(
  prompt: LanguageModelV3Prompt,
  parts: Extract<LanguageModelV3Message, { role: 'tool' }>['content'],
): void {
  const last = prompt.at(-1);
  if (last?.role === 'tool') {
    prompt[prompt.length - 1] = { ...last, content: [...last.content, ...parts] };
  } else {
    prompt.push({ role: 'tool', content: [...parts] });
  }
}
