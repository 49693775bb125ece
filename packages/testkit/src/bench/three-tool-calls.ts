import type { ModelScript, RecordedRequest } from '../model-server/scripted-turn.js';

/** The prompt the {@link threeToolCallsThenAnswer} script is written for. */
export const THREE_TOOL_CALLS_PROMPT = 'Add 1+2, 3+4 and 5+6.';
/** What the model answers once the three tool results are in. */
export const THREE_TOOL_CALLS_ANSWER = 'The answers are 3, 7 and 11.';

/** True when the last message of a chat request carries tool results (OpenAI or Anthropic shape). */
function followsToolResults(request: RecordedRequest): boolean {
  const messages = (request.body as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return false;
  const last = messages.at(-1) as { role?: unknown; content?: unknown } | undefined;
  if (last?.role === 'tool') return true;
  return (
    Array.isArray(last?.content) &&
    last.content.some((part) => (part as { type?: unknown }).type === 'tool_result')
  );
}

/**
 * The agent turn benches and load tests use: the model first asks for three
 * parallel `add` calls (arguments streamed in fragments, call ids unique per
 * request), then, once the results are in, streams
 * {@link THREE_TOOL_CALLS_ANSWER} with usage. Two model calls per turn.
 * `paceMs` waits between streamed chunks, like a (fast) real model.
 */
export function threeToolCallsThenAnswer(options: { paceMs?: number } = {}): ModelScript {
  const pace = options.paceMs ? { delayMs: options.paceMs } : {};
  return (request) =>
    followsToolResults(request)
      ? {
          text: ['The answers ', 'are 3, 7 ', 'and 11.'],
          usage: { inputTokens: 120, outputTokens: 9 },
          ...pace,
        }
      : {
          toolCalls: [
            { id: `a${request.callIndex}`, name: 'add', args: { a: 1, b: 2 } },
            { id: `b${request.callIndex}`, name: 'add', args: { a: 3, b: 4 } },
            { id: `c${request.callIndex}`, name: 'add', args: { a: 5, b: 6 } },
          ],
          usage: { inputTokens: 80, outputTokens: 30 },
          ...pace,
        };
}
