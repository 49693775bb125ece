import type { ScriptedTurn } from './scripted-turn.js';
import { argsText, splitInThree, turnFinishReason, turnPieces, turnUsage } from './turn-parts.js';

const STOP_REASONS: Record<string, string> = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  length: 'max_tokens',
  content_filter: 'refusal',
};

function stopReason(turn: ScriptedTurn): string {
  const raw = turnFinishReason(turn);
  return STOP_REASONS[raw] ?? raw;
}

/** Anthropic usage: `input_tokens` excludes cache reads, which are reported apart. */
function usage(turn: ScriptedTurn) {
  const scripted = turnUsage(turn);
  const cached = scripted.cachedInputTokens ?? 0;
  return {
    input_tokens: scripted.inputTokens - cached,
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: 0,
    output_tokens: scripted.outputTokens,
  };
}

type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

function blocks(turn: ScriptedTurn): Block[] {
  const out: Block[] = [];
  if (turn.reasoning !== undefined) {
    out.push({ type: 'thinking', thinking: turnPieces(turn.reasoning).join(''), signature: 'sig' });
  }
  if (turn.text !== undefined) out.push({ type: 'text', text: turnPieces(turn.text).join('') });
  for (const call of turn.toolCalls ?? []) {
    out.push({
      type: 'tool_use',
      id: call.id,
      name: call.name,
      input: call.args,
    });
  }
  return out;
}

/** A non-streaming Anthropic Messages API response for a turn. */
export function anthropicMessage(turn: ScriptedTurn, options: { model: string; id: string }) {
  return {
    id: options.id,
    type: 'message',
    role: 'assistant',
    model: options.model,
    content: blocks(turn),
    stop_reason: stopReason(turn),
    stop_sequence: null,
    usage: usage(turn),
  };
}

/**
 * The Anthropic Messages API stream of a turn as `[event, data]` pairs:
 * `message_start`, one content block per thinking/text/tool_use (deltas as
 * scripted, tool input as `input_json_delta` fragments), `message_delta`
 * with the stop reason and output tokens, then `message_stop`.
 */
export function anthropicEvents(
  turn: ScriptedTurn,
  options: { model: string; id: string },
): Array<[string, object]> {
  const counts = usage(turn);
  const events: Array<[string, object]> = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          ...anthropicMessage(turn, options),
          content: [],
          stop_reason: null,
          usage: { ...counts, output_tokens: 1 },
        },
      },
    ],
  ];
  let index = 0;
  const block = (start: object, deltas: object[]) => {
    events.push([
      'content_block_start',
      { type: 'content_block_start', index, content_block: start },
    ]);
    for (const delta of deltas) {
      events.push(['content_block_delta', { type: 'content_block_delta', index, delta }]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
    index += 1;
  };
  const reasoning = turnPieces(turn.reasoning);
  if (reasoning.length > 0) {
    block({ type: 'thinking', thinking: '', signature: '' }, [
      ...reasoning.map((thinking) => ({ type: 'thinking_delta', thinking })),
      { type: 'signature_delta', signature: 'sig' },
    ]);
  }
  const text = turnPieces(turn.text);
  if (text.length > 0) {
    block(
      { type: 'text', text: '' },
      text.map((delta) => ({ type: 'text_delta', text: delta })),
    );
  }
  for (const call of turn.toolCalls ?? []) {
    const json = argsText(call.args);
    block(
      { type: 'tool_use', id: call.id, name: call.name, input: {} },
      splitInThree(json).map((partial_json) => ({ type: 'input_json_delta', partial_json })),
    );
  }
  events.push([
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason(turn), stop_sequence: null },
      usage: { output_tokens: counts.output_tokens },
    },
  ]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events;
}
