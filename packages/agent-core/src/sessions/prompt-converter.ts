import type {
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3ToolResultPart,
} from '@ai-sdk/provider';
import type { TranscriptEntry } from './session-snapshot.js';
import { reviveFileUrl } from './user-content.js';

/** What the model is told about a tool call whose result never arrived (a crash or cancel). */
export const MISSING_TOOL_RESULT = 'No result: the call was interrupted before it finished.';

type ToolContent = Extract<LanguageModelV3Message, { role: 'tool' }>['content'];

/** Whether an entry goes to the model: entries shown for the user only (errors) and archived ones do not. */
export function isSentToModel(entry: TranscriptEntry): boolean {
  return entry.display.archived !== true && entry.display.status !== 'error';
}

/**
 * Turns transcript entries into provider messages one at a time, in order
 * (the rules are {@link toProviderPrompt}'s). Converting entry by entry lets a
 * session keep the converted prefix and convert only what was added since
 * (see `ProviderPromptCache`); `prompt()` never changes the converter, so it
 * can be asked again after more entries.
 */
export class PromptConverter {
  /** The messages so far, without the system message and without closing calls still open. */
  readonly messages: LanguageModelV3Message[] = [];
  /** Calls of the latest assistant message still waiting for a result, in order. */
  #open = new Map<string, string>();
  /** JSON length of `messages[i]` as measured, and the object it was measured on (the last one can be replaced). */
  readonly #chars: number[] = [];
  readonly #measured: LanguageModelV3Message[] = [];
  #charsTotal = 0;

  /** Converts one more entry (the next one of the transcript). */
  add(entry: TranscriptEntry): void {
    if (!isSentToModel(entry)) return;
    const message = entry.message;
    if (message.role === 'tool') {
      const parts = message.content.filter(
        (part) => part.type !== 'tool-result' || this.#open.delete(part.toolCallId),
      );
      if (parts.length > 0) appendToolParts(this.messages, parts);
      return;
    }
    this.#closeOpenCalls();
    if (message.role === 'user') {
      this.messages.push({
        ...message,
        content: message.content.map((part) => (part.type === 'file' ? reviveFileUrl(part) : part)),
      });
      return;
    }
    if (message.role === 'assistant') {
      if (message.content.length === 0) return;
      for (const part of message.content) {
        if (part.type === 'tool-call' && part.providerExecuted !== true) {
          this.#open.set(part.toolCallId, part.toolName);
        }
      }
    }
    this.messages.push(message);
  }

  /**
   * The provider prompt of the entries added so far: the system message (when
   * `system` is not empty), the messages, and a synthetic error result for
   * each call still without one. A new array each time; messages are shared.
   */
  prompt(system: string): LanguageModelV3Prompt {
    const prompt: LanguageModelV3Prompt = system
      ? [{ role: 'system', content: system }, ...this.messages]
      : [...this.messages];
    const missing = this.#missingResults();
    if (missing) appendToolParts(prompt, missing);
    return prompt;
  }

  /**
   * The length of `JSON.stringify(this.prompt(system))`, measuring only the
   * messages not measured before (and the system message and the closing
   * results, which are rebuilt each time).
   */
  promptJsonLength(system: string): number {
    this.#measure();
    let items = this.messages.length;
    let chars = this.#charsTotal;
    if (system) {
      items += 1;
      chars += JSON.stringify({ role: 'system', content: system }).length;
    }
    const missing = this.#missingResults();
    if (missing) {
      const last = this.messages.at(-1);
      if (last?.role === 'tool') {
        chars += JSON.stringify(withToolParts(last, missing)).length - this.#chars.at(-1)!;
      } else {
        items += 1;
        chars += JSON.stringify({ role: 'tool', content: missing }).length;
      }
    }
    return 2 + chars + Math.max(0, items - 1); // brackets and commas
  }

  #measure(): void {
    // Messages are only ever added at the end, or the last one replaced (tool results of one step).
    const from = Math.max(0, this.#measured.length - 1);
    for (let index = from; index < this.messages.length; index++) {
      const message = this.messages[index]!;
      if (this.#measured[index] === message) continue;
      const length = JSON.stringify(message).length;
      this.#charsTotal += length - (this.#chars[index] ?? 0);
      this.#chars[index] = length;
      this.#measured[index] = message;
    }
  }

  #missingResults(): LanguageModelV3ToolResultPart[] | undefined {
    if (this.#open.size === 0) return undefined;
    return [...this.#open].map(([toolCallId, toolName]) => ({
      type: 'tool-result',
      toolCallId,
      toolName,
      output: { type: 'error-text', value: MISSING_TOOL_RESULT },
    }));
  }

  #closeOpenCalls(): void {
    const missing = this.#missingResults();
    if (!missing) return;
    appendToolParts(this.messages, missing);
    this.#open = new Map();
  }
}

/** Adds tool parts to a trailing tool message (replaced, never changed), or starts one: one tool message per step. */
function appendToolParts(prompt: LanguageModelV3Prompt, parts: ToolContent): void {
  const last = prompt.at(-1);
  if (last?.role === 'tool') {
    prompt[prompt.length - 1] = withToolParts(last, parts);
  } else {
    prompt.push({ role: 'tool', content: [...parts] });
  }
}

function withToolParts(
  message: Extract<LanguageModelV3Message, { role: 'tool' }>,
  parts: ToolContent,
): LanguageModelV3Message {
  return { ...message, content: [...message.content, ...parts] };
}
