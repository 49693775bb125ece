import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { AgentTool, ToolContext } from './agent-tool.js';
import { defineTool } from './define-tool.js';
import { toSpecTool } from './to-spec-tool.js';

describe('defineTool', () => {
  it('infers the input from the zod schema and the output from execute', () => {
    const search = defineTool({
      description: 'Search files',
      inputSchema: z.object({
        query: z.string(),
        limit: z.number().int().default(10),
        glob: z.string().optional(),
      }),
      approval: (input) => input.query.includes('secret'),
      title: (input) => `Searching for ${input.query}`,
      execute: async (input, context) => {
        expectTypeOf(input).toEqualTypeOf<{
          query: string;
          limit: number;
          glob?: string | undefined;
        }>();
        expectTypeOf(context).toEqualTypeOf<ToolContext>();
        await Promise.resolve();
        return { hits: [input.query], limit: input.limit };
      },
    });
    expectTypeOf(search).toEqualTypeOf<
      AgentTool<
        { query: string; limit: number; glob?: string | undefined },
        { hits: string[]; limit: number }
      >
    >();
    // Tools of any input fit one record (what agent options and ToolSet take).
    expectTypeOf(search).toExtend<AgentTool<never, unknown>>();
    expectTypeOf(search).toExtend<AgentTool>();
    expect(search.title?.({ query: 'x', limit: 1 })).toBe('Searching for x');
  });

  it('rejects input the schema does not describe, at compile time', () => {
    defineTool({
      description: 'typed',
      inputSchema: z.object({ a: z.number() }),
      // @ts-expect-error `b` is not part of the input
      execute: ({ b }) => String(b),
    });
  });

  it('converts the schema to a provider-ready JSON Schema (draft-07, input side, no $schema)', () => {
    const tool = defineTool({
      description: 'Write a file',
      inputSchema: z.object({
        path: z.string().describe('Relative path'),
        content: z.string(),
        mode: z.enum(['overwrite', 'append']).default('overwrite'),
        size: z.string().transform((value) => Number(value)),
      }),
      execute: () => 'ok',
    });
    expect(toSpecTool('write_file', tool)).toMatchInlineSnapshot(`
      {
        "description": "Write a file",
        "inputSchema": {
          "properties": {
            "content": {
              "type": "string",
            },
            "mode": {
              "default": "overwrite",
              "enum": [
                "overwrite",
                "append",
              ],
              "type": "string",
            },
            "path": {
              "description": "Relative path",
              "type": "string",
            },
            "size": {
              "type": "string",
            },
          },
          "required": [
            "path",
            "content",
            "size",
          ],
          "type": "object",
        },
        "name": "write_file",
        "type": "function",
      }
    `);
  });

  it('adds type: object to a union of objects', () => {
    const tool = defineTool({
      description: 'either',
      inputSchema: z.union([z.object({ id: z.string() }), z.object({ name: z.string() })]),
      execute: () => 'ok',
    });
    expect(toSpecTool('either', tool).inputSchema).toMatchObject({
      type: 'object',
      anyOf: [{ type: 'object' }, { type: 'object' }],
    });
  });

  it('refuses schemas a model cannot be given', () => {
    const notObject = defineTool({
      description: 'x',
      inputSchema: z.string(),
      execute: () => 'ok',
    });
    expect(() => toSpecTool('x', notObject)).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_TOOL_SCHEMA' }),
    );
    const date = defineTool({
      description: 'x',
      inputSchema: z.object({ at: z.date() }),
      execute: () => 'ok',
    });
    expect(() => toSpecTool('when', date)).toThrow(
      expect.objectContaining({
        code: 'CORE_INVALID_TOOL_SCHEMA',
        message: expect.stringContaining('"when"'),
      }),
    );
  });

  it('validates the definition once, listing every issue', () => {
    expect(() =>
      defineTool({
        description: '',
        inputSchema: {} as z.ZodObject,
        execute: () => 1,
        timeoutMs: -1,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'CORE_INVALID_OPTIONS',
        message: expect.stringMatching(
          /description: .*inputSchema: expected a zod schema.*timeoutMs: /s,
        ),
      }),
    );
  });
});
