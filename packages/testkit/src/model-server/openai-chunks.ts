import type { ScriptedTurn } from './scripted-turn.js';
import { argsText, splitInThree, turnFinishReason, turnPieces, turnUsage } from './turn-parts.js';

/**
 * The OpenAI chat-completions stream chunks of a turn, in the wire shape:
 * role chunk, reasoning_content deltas, content deltas, tool_calls deltas
 * (id and name only on the first fragment of each, matched by `index`), the
 * finish chunk, then usage when asked for.
 */
export function openAiChunks(
  turn: ScriptedTurn,
  options: { model: string; id: string; includeUsage: boolean },
): object[] {
  const base = {
    id: options.id,
    object: 'chat.completion.chunk',
    created: 1_763_800_000,
    model: options.model,
  };
  const choice = (delta: object, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const chunks: object[] = [choice({ role: 'assistant', content: '' })];
  for (const piece of turnPieces(turn.reasoning)) chunks.push(choice({ reasoning_content: piece }));
  for (const piece of turnPieces(turn.text)) chunks.push(choice({ content: piece }));
  (turn.toolCalls ?? []).forEach((call, index) => {
    const args = argsText(call.args);
    splitInThree(args).forEach((fragment, position) => {
      const fn =
        position === 0 ? { name: call.name, arguments: fragment } : { arguments: fragment };
      chunks.push(
        choice({
          tool_calls: [
            position === 0
              ? { index, id: call.id, type: 'function', function: fn }
              : { index, function: fn },
          ],
        }),
      );
    });
  });
  const finish = turnFinishReason(turn);
  chunks.push(choice({}, finish));
  if (options.includeUsage) {
    const usage = turnUsage(turn);
    chunks.push({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: usage.inputTokens,
        completion_tokens: usage.outputTokens,
        total_tokens: usage.inputTokens + usage.outputTokens,
        ...(usage.cachedInputTokens === undefined
          ? {}
          : { prompt_tokens_details: { cached_tokens: usage.cachedInputTokens } }),
        ...(usage.reasoningTokens === undefined
          ? {}
          : { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } }),
      },
    });
  }
  return chunks;
}
