import type { ScriptedTurn } from './scripted-turn.js';

type TurnUsage = NonNullable<ScriptedTurn['usage']>;

/** Usage of a turn that scripts none. */
const DEFAULT_USAGE: TurnUsage = { inputTokens: 10, outputTokens: 5 };

/** A turn's text or reasoning as its streamed deltas (a string is one delta). */
export const turnPieces = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Tool arguments as the model sends them: raw strings (malformed on purpose) stay as they are. */
export const argsText = (args: string | Record<string, unknown>): string =>
  typeof args === 'string' ? args : JSON.stringify(args);

/** Splits argument text into 3 fragments (at least one), as real providers stream them. */
export function splitInThree(text: string): string[] {
  const size = Math.max(1, Math.ceil(text.length / 3));
  const out: string[] = [];
  for (let index = 0; index < text.length; index += size) out.push(text.slice(index, index + size));
  return out.length > 0 ? out : [''];
}

/** The scripted usage, or the default one. */
export const turnUsage = (turn: ScriptedTurn): TurnUsage => turn.usage ?? DEFAULT_USAGE;

/** The OpenAI wire finish reason: scripted, else `tool_calls` when the turn calls tools, else `stop`. */
export const turnFinishReason = (turn: ScriptedTurn): string =>
  turn.finishReason ?? ((turn.toolCalls?.length ?? 0) > 0 ? 'tool_calls' : 'stop');
