import type { AgentTool } from './agent-tool.js';
import type { ParsedToolInput } from './parse-tool-input.js';

/** How a surface shows a tool call (the `title` and `kind` of `tool_call.*` events). */
export type ToolPresentation = {
  /** From the definition's `title(input)`: "Reading src/main.ts". */
  title?: string;
  kind?: NonNullable<AgentTool['kind']>;
};

/** A call's input checked against its tool's schema, and how the call shows. */
export type PreparedCall = ToolPresentation & {
  /**
   * The arguments as the tool's schema outputs them (or why it refused
   * them), from `validateToolInput`: validated once; the tool runs on this
   * and the title is made from it. Absent when no tool has the call's name.
   */
  checked?: ParsedToolInput;
};

/** Which call a `tool_call.*` event is about, as every event after `started` says it. */
export type ToolCallIdentity = ToolPresentation & {
  toolCallId: string;
  toolName: string;
};

/** The identity fields of a call's events: id, name, and title and kind when known. */
export function toolIdentity(call: ToolCallIdentity): ToolCallIdentity {
  return {
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    ...(call.title === undefined ? {} : { title: call.title }),
    ...(call.kind === undefined ? {} : { kind: call.kind }),
  };
}

/** A title is one line of a UI: longer ones are cut to this many characters. */
export const MAX_TOOL_TITLE_CHARS = 200;

/**
 * What a tool's definition says about one call: its `kind` and, once the
 * input is known, its `title(input)`. `input` is the call's input as
 * `validateToolInput` returned it: the tool's schema output (the title
 * function is typed that way), validated once for both the title and the
 * call, never here again; input the schema refused gets no title. A title
 * is decoration: a title function that throws (reported to `onError`) or
 * returns no text only leaves the title out, it never fails the call.
 */
export function presentToolCall(
  tool: AgentTool | undefined,
  input: ParsedToolInput | undefined,
  onError: (error: unknown) => void,
): ToolPresentation {
  if (!tool) return {};
  const kind = tool.kind === undefined ? {} : { kind: tool.kind };
  if (!input?.ok || !tool.title) return kind;
  let title: unknown;
  try {
    title = tool.title(input.value);
  } catch (error) {
    onError(error);
    return kind;
  }
  if (typeof title !== 'string') return kind;
  const line = title.replace(/\s+/g, ' ').trim();
  if (line === '') return kind;
  return {
    ...kind,
    title:
      line.length > MAX_TOOL_TITLE_CHARS ? `${line.slice(0, MAX_TOOL_TITLE_CHARS - 1)}…` : line,
  };
}
