import type { JSONSchema7, LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import { z } from 'zod';
import { AgentCoreError } from '../errors/agent-core-error.js';
import type { AgentTool } from './agent-tool.js';

// Conversions are pure, so each zod schema is converted once.
const converted = new WeakMap<z.ZodType, JSONSchema7>();

/**
 * The JSON Schema a provider gets for a tool's input. zod schemas are
 * converted as draft-07 in `input` mode (fields with defaults are optional),
 * without `$schema` (Gemini rejects it) and with a top-level `type: 'object'`
 * (OpenAI requires it). A `jsonSchema` (MCP) is returned unchanged: re-shaping
 * it is what broke MCP tools in other SDKs.
 *
 * Throws `CORE_INVALID_TOOL_SCHEMA` when a zod schema cannot be represented
 * (dates, bigints, …) or does not describe an object.
 */
export function toolInputJsonSchema(name: string, tool: AgentTool<never, unknown>): JSONSchema7 {
  const schema = tool.inputSchema;
  if (schema === undefined) return tool.jsonSchema ?? { type: 'object', properties: {} };
  const cached = converted.get(schema);
  if (cached) return cached;
  let json: Record<string, unknown>;
  try {
    json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' });
  } catch (error) {
    throw invalidSchema(name, error instanceof Error ? error.message : String(error), error);
  }
  const { $schema: _dropped, ...rest } = json;
  if (rest.type !== undefined && rest.type !== 'object') {
    throw invalidSchema(
      name,
      `it describes ${JSON.stringify(rest.type)}, but tool arguments are always a JSON object`,
    );
  }
  const result = { type: 'object', ...rest } as JSONSchema7;
  converted.set(schema, result);
  return result;
}

/** A tool as the provider spec's function tool. */
export function toSpecTool(
  name: string,
  tool: AgentTool<never, unknown>,
): LanguageModelV3FunctionTool {
  return {
    type: 'function',
    name,
    description: tool.description,
    inputSchema: toolInputJsonSchema(name, tool),
  };
}

function invalidSchema(name: string, reason: string, cause?: unknown): AgentCoreError {
  return new AgentCoreError({
    code: 'CORE_INVALID_TOOL_SCHEMA',
    message: `Input schema of tool "${name}" cannot be sent to a model: ${reason}.`,
    hint: 'Use z.object({...}) with JSON-representable fields (strings for dates, numbers for bigints).',
    details: { tool: name },
    cause,
  });
}
