import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { validateToolInput } from './parse-tool-input.js';
import { MAX_TOOL_TITLE_CHARS, presentToolCall } from './tool-presentation.js';

const errors: unknown[] = [];
const ok = (value: unknown) => ({ ok: true as const, value });
const report = (error: unknown) => errors.push(error);

const open = defineTool({
  description: 'Open a file',
  inputSchema: z.object({ path: z.string(), line: z.number().default(1) }),
  kind: 'read',
  title: ({ path, line }) => `Opening ${path}:${line}`,
  execute: () => 'ok',
});

describe('presentToolCall', () => {
  it("gives the kind alone, then the title of the input as the tool's schema outputs it", async () => {
    expect(presentToolCall(open, undefined, report)).toEqual({ kind: 'read' });
    const checked = await validateToolInput(open, ok({ path: 'a.ts' }));
    expect(presentToolCall(open, checked, report)).toEqual({
      kind: 'read',
      title: 'Opening a.ts:1', // the schema's default, as `execute` sees it
    });
    expect(presentToolCall(undefined, ok({}), report)).toEqual({});
  });

  it('leaves the title out for input the schema refused, blank titles and non-strings', async () => {
    const refused = await validateToolInput(open, ok({ path: 7 }));
    expect(refused.ok).toBe(false);
    expect(presentToolCall(open, refused, report)).toEqual({ kind: 'read' });
    const blank = { ...open, title: () => '  \n ' };
    expect(presentToolCall(blank, ok({ path: 'a', line: 1 }), report)).toEqual({ kind: 'read' });
    const notText = { ...open, title: () => 42 as unknown as string };
    expect(presentToolCall(notText, ok({ path: 'a', line: 1 }), report)).toEqual({ kind: 'read' });
    expect(errors).toEqual([]);
  });

  it('makes one line of a title and cuts a long one', () => {
    const long = { ...open, title: () => `Reading\n  ${'x'.repeat(500)}` };
    const { title } = presentToolCall(long, ok({ path: 'a', line: 1 }), report);
    expect(title).toHaveLength(MAX_TOOL_TITLE_CHARS);
    expect(title).toMatch(/^Reading x+…$/);
  });

  it('reports a title function that throws and carries on without a title', () => {
    const broken = {
      ...open,
      title: () => {
        throw new Error('boom');
      },
    };
    const seen: unknown[] = [];
    expect(presentToolCall(broken, ok({ path: 'a', line: 1 }), (e) => seen.push(e))).toEqual({
      kind: 'read',
    });
    expect(seen).toEqual([new Error('boom')]);
  });
});
