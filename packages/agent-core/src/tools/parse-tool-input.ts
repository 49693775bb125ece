import type { AgentTool } from './agent-tool.js';

/**
 * A tool call's arguments as JSON, parsed once from the model's text (see
 * {@link parseToolArguments}) and carried with the call from then on: through
 * events, approval, the paused snapshot and `executeToolCall`.
 */
export type ToolArguments = { ok: true; value: unknown } | { ok: false; message: string };

/** The model's arguments, parsed and validated, or a message telling the model what to fix. */
export type ParsedToolInput = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Parses the argument text of a tool call as the model sent it. The one
 * place that text is parsed. Never throws: invalid JSON is a message for
 * the model.
 */
export function parseToolArguments(rawInput: string): ToolArguments {
  // Some providers send '' for tools without parameters.
  if (rawInput.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(rawInput) as unknown };
  } catch (error) {
    return {
      ok: false,
      message: `Arguments are not valid JSON (${(error as Error).message}). Send a JSON object matching the tool's input schema.`,
    };
  }
}

/**
 * Parses a tool call's raw JSON arguments and validates them against the
 * tool's zod schema (see {@link validateToolInput}).
 */
export async function parseToolInput(
  tool: AgentTool<never, unknown>,
  rawInput: string,
): Promise<ParsedToolInput> {
  return validateToolInput(tool, parseToolArguments(rawInput));
}

/**
 * Validates parsed arguments against the tool's zod schema. Tools with only
 * a JSON Schema (MCP) get the value as is, since their server validates it;
 * it must still be an object when the schema says so. Never throws: every
 * failure is a message for the model.
 */
export async function validateToolInput(
  tool: AgentTool<never, unknown>,
  args: ToolArguments,
): Promise<ParsedToolInput> {
  if (!args.ok) return args;
  const { value } = args;
  const schema = tool.inputSchema;
  if (schema === undefined) {
    const wantsObject = tool.jsonSchema?.type === undefined || tool.jsonSchema.type === 'object';
    if (wantsObject && !isPlainObject(value)) {
      return { ok: false, message: `Arguments must be a JSON object, not ${describe(value)}.` };
    }
    return { ok: true, value };
  }
  try {
    const result = await schema.safeParseAsync(value);
    if (result.success) return { ok: true, value: result.data };
    const issues = result.error.issues.map(
      (issue) => `- ${formatPath(issue.path)}: ${issue.message}`,
    );
    return {
      ok: false,
      message: `Arguments do not match the tool's input schema:\n${issues.join('\n')}\nFix the arguments and call the tool again.`,
    };
  } catch (error) {
    // A throwing refinement is the tool author's bug, but the model still needs an answer.
    return {
      ok: false,
      message: `Arguments could not be validated: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value != null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value == null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
