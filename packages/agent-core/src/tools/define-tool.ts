import { z } from 'zod';
import type { AgentTool, ToolApproval, ToolContext } from './agent-tool.js';
import { parseCoreOptions } from '../errors/agent-core-error.js';

/** What {@link defineTool} takes; `input` is typed by `inputSchema`. */
export interface ToolDefinition<Schema extends z.ZodType, Output> {
  /** Tells the model what the tool does and when to use it. */
  description: string;
  /**
   * zod schema of the arguments. It must describe an object, since models send
   * a JSON object; `.describe()` texts reach the model as field descriptions.
   */
  inputSchema: Schema;
  /** Runs the tool with validated input. Return a string or a JSON-serialisable value. */
  execute(input: z.output<Schema>, context: ToolContext): Output | Promise<Output>;
  /** @default 'never' */
  approval?: ToolApproval<z.output<Schema>>;
  /** Per-call timeout in ms; the call fails with `CORE_TOOL_TIMEOUT` and its signal aborts. */
  timeoutMs?: number;
  /** ACP tool kind for UIs. */
  kind?: AgentTool['kind'];
  /** Human-readable title for a call ("Reading src/main.ts"). */
  title?: (input: z.output<Schema>) => string;
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>(
    (value) => typeof value === 'function',
    `expected ${what} (a function)`,
  );

const toolDefinitionSchema = z.object({
  description: z.string().min(1),
  inputSchema: z.custom<z.ZodType>((value) => value instanceof z.ZodType, 'expected a zod schema'),
  execute: fn('execute'),
  approval: z.union([z.enum(['never', 'always']), fn('an approval predicate')]).optional(),
  timeoutMs: z.number().int().positive().optional(),
  kind: z
    .enum([
      'read',
      'edit',
      'delete',
      'move',
      'search',
      'execute',
      'think',
      'fetch',
      'switch_mode',
      'other',
    ])
    .optional(),
  title: fn('title').optional(),
});

/**
 * Defines a tool whose input is described, validated and typed by a zod
 * schema. Invalid definitions throw `CORE_INVALID_OPTIONS` listing every issue.
 *
 * @example
 * ```ts
 * const add = defineTool({
 *   description: 'Add two numbers',
 *   inputSchema: z.object({ a: z.number(), b: z.number() }),
 *   execute: ({ a, b }) => a + b,
 * });
 * ```
 */
export function defineTool<Schema extends z.ZodType, Output>(
  definition: ToolDefinition<Schema, Output>,
): AgentTool<z.output<Schema>, Output> {
  parseCoreOptions(toolDefinitionSchema, definition);
  // Parsing only validates: the definition is returned as given, so keys zod
  // does not know (markers added by other modules) survive.
  return definition;
}
