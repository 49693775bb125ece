import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentTool, ToolSource } from './agent-tool.js';
import { defineTool } from './define-tool.js';
import { ToolSet } from './tool-set.js';

const tool = (description = 'a tool'): AgentTool =>
  defineTool({ description, inputSchema: z.object({ q: z.string() }), execute: ({ q }) => q });
const jsonTool = (description = 'remote'): AgentTool => ({
  description,
  jsonSchema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
  execute: () => 'ok',
});

/** A source whose tool list the test controls. */
function fakeSource(
  name: string,
  list: () => Record<string, AgentTool>,
  extra: Partial<ToolSource> = {},
): ToolSource & { closed: boolean } {
  const source = {
    name,
    closed: false,
    tools: () => Promise.resolve().then(list),
    close: () => {
      source.closed = true;
      return Promise.resolve();
    },
    ...extra,
  };
  return source;
}

describe('ToolSet', () => {
  it('offers its tools and prefixed source tools after refresh', async () => {
    const set = new ToolSet({
      tools: { search: tool() },
      sources: [fakeSource('fs', () => ({ read: jsonTool(), 'list.dir': jsonTool() }))],
    });
    expect(set.names()).toEqual(['search']);
    expect(await set.refresh()).toEqual({ failures: [] });
    expect(set.names()).toEqual(['search', 'fs__read', 'fs__list_dir']);
    expect(set.get('fs__read')?.description).toBe('remote');
    expect(set.has('read')).toBe(false);
    const spec = set.toSpecTools();
    expect(spec.map((t) => t.name)).toEqual(['search', 'fs__read', 'fs__list_dir']);
    // JSON Schema tools pass through untouched.
    expect(spec[1]!.inputSchema).toEqual({
      type: 'object',
      properties: { x: { type: 'number' } },
      required: ['x'],
    });
    expect(spec[0]!.inputSchema).toEqual({
      type: 'object',
      properties: { q: { type: 'string' } },
      required: ['q'],
    });
  });

  it('honours a source prefix, or none', async () => {
    const set = new ToolSet({
      sources: [
        fakeSource('github', () => ({ issues: jsonTool() }), { prefix: 'gh' }),
        fakeSource('local', () => ({ echo: jsonTool() }), { prefix: false }),
      ],
    });
    await set.refresh();
    expect(set.names()).toEqual(['gh__issues', 'echo']);
  });

  it('rejects names providers do not accept', () => {
    expect(() => new ToolSet({ tools: { 'read file': tool() } })).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_TOOL_NAME' }),
    );
    expect(() => new ToolSet({ tools: { ['x'.repeat(65)]: tool() } })).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_TOOL_NAME' }),
    );
    expect(() => new ToolSet({ sources: [fakeSource('my server', () => ({}))] })).toThrow(
      expect.objectContaining({
        code: 'CORE_INVALID_TOOL_NAME',
        message: expect.stringContaining('prefix'),
      }),
    );
    expect(
      new ToolSet({ tools: { ['x'.repeat(64)]: tool(), 'a-b_C9': tool() } }).names(),
    ).toHaveLength(2);
  });

  it('rejects a bad zod schema when built, not mid-run', () => {
    const bad = defineTool({
      description: 'x',
      inputSchema: z.object({ at: z.date() }),
      execute: () => 1,
    });
    expect(() => new ToolSet({ tools: { bad } })).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_TOOL_SCHEMA' }),
    );
  });

  it('rejects two sources with one prefix as CORE_DUPLICATE_TOOL', () => {
    expect(
      () =>
        new ToolSet({
          sources: [
            fakeSource('fs', () => ({})),
            fakeSource('other', () => ({}), { prefix: 'fs' }),
          ],
        }),
    ).toThrow(expect.objectContaining({ code: 'CORE_DUPLICATE_TOOL' }));
  });

  it('drops a source tool whose name is taken and reports CORE_DUPLICATE_TOOL', async () => {
    const set = new ToolSet({
      tools: { echo: tool('own') },
      sources: [
        fakeSource('local', () => ({ echo: jsonTool('theirs'), ping: jsonTool() }), {
          prefix: false,
        }),
      ],
    });
    const { failures } = await set.refresh();
    expect(failures).toMatchObject([{ source: 'local', error: { code: 'CORE_DUPLICATE_TOOL' } }]);
    expect(set.get('echo')?.description).toBe('own');
    expect(set.names()).toEqual(['echo', 'ping']);
  });

  it('keeps names distinct when long names are shortened', async () => {
    const long = 'a'.repeat(70);
    const set = new ToolSet({
      sources: [fakeSource('srv', () => ({ [`${long}1`]: jsonTool(), [`${long}2`]: jsonTool() }))],
    });
    await set.refresh();
    const names = set.names();
    expect(new Set(names).size).toBe(2);
    for (const name of names) expect(name).toMatch(/^srv__a+_[0-9a-f]{8}$/);
    for (const name of names) expect(name.length).toBe(64);
  });

  it("checks run-local tools against the set's names", async () => {
    const set = new ToolSet({ tools: { search: tool() } });
    expect(set.toSpecTools({ ask_user: tool() }).map((t) => t.name)).toEqual(['ask_user']);
    expect(() => set.toSpecTools({ search: tool() })).toThrow(
      expect.objectContaining({ code: 'CORE_DUPLICATE_TOOL' }),
    );
    expect(() => set.toSpecTools({ 'ask user': tool() })).toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_TOOL_NAME' }),
    );
    await set.refresh();
  });

  it('keeps the last good list of a source that fails, and reports it', async () => {
    let fail = false;
    const source = fakeSource('flaky', () => {
      if (fail) throw new Error('connection reset');
      return { ping: jsonTool() };
    });
    const set = new ToolSet({ sources: [source] });
    await set.refresh();
    fail = true;
    const { failures } = await set.refresh();
    expect(failures).toMatchObject([
      {
        source: 'flaky',
        error: {
          code: 'CORE_TOOL_SOURCE_FAILED',
          message: 'Tool source "flaky" failed to list its tools: connection reset',
        },
      },
    ]);
    expect(set.names()).toEqual(['flaky__ping']);
  });

  it('picks up changed source lists on refresh', async () => {
    let list: Record<string, AgentTool> = { a: jsonTool() };
    const set = new ToolSet({ sources: [fakeSource('s', () => list)] });
    await set.refresh();
    const before = set.toSpecTools();
    list = { b: jsonTool() };
    await set.refresh();
    expect(set.names()).toEqual(['s__b']);
    expect(set.toSpecTools()).not.toBe(before);
  });

  it('shares one refresh between concurrent callers', async () => {
    let calls = 0;
    const set = new ToolSet({ sources: [fakeSource('s', () => (calls++, {}))] });
    await Promise.all([set.refresh(), set.refresh()]);
    expect(calls).toBe(1);
  });

  it('closes every source', async () => {
    const a = fakeSource('a', () => ({}));
    const b = fakeSource('b', () => ({}));
    await new ToolSet({ sources: [a, b] }).close();
    expect([a.closed, b.closed]).toEqual([true, true]);
  });
});
