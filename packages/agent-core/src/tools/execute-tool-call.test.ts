import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { AgentTool, ToolCallOutcome } from './agent-tool.js';
import { defineTool } from './define-tool.js';
import {
  executeToolCall,
  toToolResultOutput,
  type ExecuteToolCallSettings,
} from './execute-tool-call.js';

const context = { sessionId: 's1', runId: 'r1', turn: 1, stepIndex: 0, toolCallId: 'c1' };
const add = defineTool({
  description: 'Add two numbers',
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => ({ sum: a + b }),
});

function run(
  tool: AgentTool<never, unknown> | undefined,
  rawInput: string,
  options: Partial<ExecuteToolCallSettings> = {},
) {
  return executeToolCall({ tool, toolName: 'tool', rawInput, context, ...options });
}

function returning(value: unknown): AgentTool {
  return defineTool({
    description: 'returns a value',
    inputSchema: z.object({}),
    execute: () => value,
  });
}

describe('executeToolCall', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses raw argument text once, and arguments parsed by the caller not at all', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const parsesOf = (text: string) => parse.mock.calls.filter(([arg]) => arg === text).length;
    expect(await run(add, '{"a":2,"b":3}')).toMatchObject({ output: { sum: 5 } });
    expect(parsesOf('{"a":2,"b":3}')).toBe(1);
    const given = await executeToolCall({
      tool: add,
      toolName: 'add',
      args: { ok: true, value: { a: 4, b: 5 } },
      context,
    });
    expect(given).toMatchObject({ status: 'completed', output: { sum: 9 } });
    expect(
      parse.mock.calls.filter(([arg]) => typeof arg === 'string' && arg.includes('"a":4')),
    ).toEqual([]);
  });

  it('fails arguments the caller could not parse with their message, without running the tool', async () => {
    let ran = false;
    const tool = defineTool({
      description: 'never runs',
      inputSchema: z.object({}),
      execute: () => (ran = true),
    });
    const outcome = await executeToolCall({
      tool,
      toolName: 'tool',
      args: { ok: false, message: 'Arguments are not valid JSON (x).' },
      context,
    });
    expect(outcome).toEqual({
      status: 'failed',
      error: { code: 'CORE_TOOL_INVALID_INPUT', message: 'Arguments are not valid JSON (x).' },
      executionDurationMs: 0,
    });
    expect(ran).toBe(false);
  });

  it('runs the tool with validated input and measures the execution', async () => {
    const outcome = await run(add, '{"a":2,"b":40}');
    expect(outcome).toEqual({
      status: 'completed',
      output: { sum: 42 },
      executionDurationMs: expect.any(Number),
    });
  });

  it('gives the tool its ids, a signal and progress reporting', async () => {
    const updates: unknown[] = [];
    const tool = defineTool({
      description: 'reports',
      inputSchema: z.object({}),
      execute: (_input, ctx) => {
        ctx.progress({ message: 'half way', current: 1, total: 2 });
        return { toolCallId: ctx.toolCallId, runId: ctx.runId, aborted: ctx.signal.aborted };
      },
    });
    const outcome = await run(tool, '{}', { onProgress: (update) => updates.push(update) });
    expect(outcome.output).toEqual({ toolCallId: 'c1', runId: 'r1', aborted: false });
    expect(updates).toEqual([{ message: 'half way', current: 1, total: 2 }]);
  });

  it('treats empty arguments as an empty object', async () => {
    expect(await run(returning('ok'), '')).toMatchObject({ status: 'completed', output: 'ok' });
  });

  it('fails malformed JSON with a message the model can act on', async () => {
    const outcome = await run(add, '{"a": 2, "b": ');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('CORE_TOOL_INVALID_INPUT');
    expect(outcome.error?.message).toMatch(
      /^Arguments are not valid JSON \(.+\)\. Send a JSON object matching the tool's input schema\.$/,
    );
  });

  it('fails a schema mismatch listing every issue as path: message', async () => {
    const tool = defineTool({
      description: 'nested',
      inputSchema: z.object({ a: z.number(), items: z.array(z.object({ name: z.string() })) }),
      execute: () => 'never',
    });
    const outcome = await run(tool, '{"a":"2","items":[{"name":1}]}');
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'CORE_TOOL_INVALID_INPUT' } });
    expect(outcome.error?.message).toMatchInlineSnapshot(`
      "Arguments do not match the tool's input schema:
      - a: Invalid input: expected number, received string
      - items[0].name: Invalid input: expected string, received number
      Fix the arguments and call the tool again."
    `);
  });

  it('requires an object for JSON Schema tools', async () => {
    const tool: AgentTool = {
      description: 'mcp-like',
      jsonSchema: { type: 'object' },
      execute: (input) => input,
    };
    expect(await run(tool, '[1,2]')).toMatchObject({
      status: 'failed',
      error: {
        code: 'CORE_TOOL_INVALID_INPUT',
        message: 'Arguments must be a JSON object, not an array.',
      },
    });
    expect(await run(tool, '{"x":1}')).toMatchObject({ status: 'completed', output: { x: 1 } });
  });

  it('fails an unknown tool, listing the available ones', async () => {
    const outcome = await executeToolCall({
      tool: undefined,
      toolName: 'mul',
      rawInput: '{}',
      context,
      availableTools: ['add', 'sub'],
    });
    expect(outcome).toEqual({
      status: 'failed',
      error: {
        code: 'CORE_UNKNOWN_TOOL',
        message: 'Unknown tool "mul". Available tools: add, sub.',
      },
      executionDurationMs: 0,
    });
  });

  it('fails with the message (and code) of a thrown error', async () => {
    const boom = defineTool({
      description: 'throws',
      inputSchema: z.object({}),
      execute: () => {
        throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      },
    });
    expect(await run(boom, '{}')).toMatchObject({
      status: 'failed',
      error: { message: 'no such file', code: 'ENOENT' },
    });
    const rejects = defineTool({
      description: 'rejects',
      inputSchema: z.object({}),
      execute: () => Promise.reject(new Error('later')),
    });
    expect(await run(rejects, '{}')).toEqual({
      status: 'failed',
      error: { message: 'later' },
      executionDurationMs: expect.any(Number),
    });
  });

  it('fails an MCP-style { isError: true } result with its text', async () => {
    const outcome = await run(
      returning({ isError: true, content: [{ type: 'text', text: 'disk is full' }] }),
      '{}',
    );
    expect(outcome).toMatchObject({ status: 'failed', error: { message: 'disk is full' } });
    expect(toToolResultOutput(outcome)).toEqual({ type: 'error-text', value: 'disk is full' });
  });

  it('times out a tool that ignores its signal, aborting the signal', async () => {
    let signal: AbortSignal | undefined;
    const hang = defineTool({
      description: 'hangs',
      inputSchema: z.object({}),
      execute: (_input, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      },
    });
    const started = Date.now();
    const outcome = await run(hang, '{}', { timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(10_000); // it returns at all; generous under load
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'CORE_TOOL_TIMEOUT', message: 'Tool "tool" timed out after 50 ms.' },
    });
    expect(outcome.executionDurationMs).toBeGreaterThanOrEqual(45);
    expect(signal?.aborted).toBe(true);
  });

  it("uses the tool's own timeout when none is given", async () => {
    const hang = defineTool({
      description: 'hangs',
      inputSchema: z.object({}),
      timeoutMs: 20,
      execute: () => new Promise(() => {}),
    });
    expect(await run(hang, '{}')).toMatchObject({
      status: 'failed',
      error: { code: 'CORE_TOOL_TIMEOUT' },
    });
  });

  it('ends cancelled as soon as the run signal aborts, even if the tool ignores it', async () => {
    let signal: AbortSignal | undefined;
    const hang = defineTool({
      description: 'hangs',
      inputSchema: z.object({}),
      execute: (_input, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      },
    });
    const controller = new AbortController();
    const pending = run(hang, '{}', { signal: controller.signal, timeoutMs: 10_000 });
    setTimeout(() => controller.abort(new Error('user pressed stop')), 20);
    const outcome = await pending;
    expect(outcome.status).toBe('cancelled');
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toEqual(new Error('user pressed stop'));
    expect(toToolResultOutput(outcome)).toEqual({
      type: 'error-text',
      value: 'Cancelled by the user.',
    });
  });

  it('ends cancelled when the tool stops on abort (abort wins over its answer)', async () => {
    const polite = defineTool({
      description: 'stops',
      inputSchema: z.object({}),
      execute: (_input, ctx) =>
        new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve('stopped'))),
    });
    const controller = new AbortController();
    const pending = run(polite, '{}', { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect(await pending).toMatchObject({ status: 'cancelled' });
  });

  it('does not start a tool when the run is already cancelled', async () => {
    let ran = false;
    const tool = defineTool({
      description: 'x',
      inputSchema: z.object({}),
      execute: () => (ran = true),
    });
    expect(await run(tool, '{}', { signal: AbortSignal.abort() })).toEqual({
      status: 'cancelled',
      executionDurationMs: 0,
    });
    expect(ran).toBe(false);
  });

  it('drops progress reported after the call ended', async () => {
    const updates: unknown[] = [];
    let late: (() => void) | undefined;
    const tool = defineTool({
      description: 'x',
      inputSchema: z.object({}),
      execute: (_input, ctx) => {
        late = () => ctx.progress({ message: 'too late' });
        return 'done';
      },
    });
    await run(tool, '{}', { onProgress: (update) => updates.push(update) });
    late?.();
    expect(updates).toEqual([]);
  });

  it('truncates big output with a visible marker and reports the sizes', async () => {
    const outcome = await run(returning('é'.repeat(30)), '{}', { maxOutputChars: 10 });
    expect(outcome.status).toBe('completed');
    expect(outcome.output).toBe(
      `${'é'.repeat(10)}\n\n[Output truncated: showing the first 10 of 30 characters.]`,
    );
    expect(outcome.truncated).toEqual({ originalBytes: 60, keptBytes: 20 });
  });

  it('truncates big JSON output as text', async () => {
    const outcome = await run(
      returning({ rows: Array.from({ length: 1000 }, (_, i) => i) }),
      '{}',
      { maxOutputChars: 20 },
    );
    expect(outcome.output).toMatch(
      /^\{"rows":\[0,1,2,3,4,5\n\n\[Output truncated: showing the first 20 of \d+ characters\.\]$/,
    );
    expect(outcome.truncated?.keptBytes).toBe(20);
  });

  it('defaults the output limit to 100 000 characters', async () => {
    const outcome = await run(returning('x'.repeat(100_001)), '{}');
    expect(outcome.truncated).toEqual({ originalBytes: 100_001, keptBytes: 100_000 });
    expect(await run(returning('x'.repeat(100_000)), '{}')).not.toHaveProperty('truncated');
  });

  it('never splits a surrogate pair', async () => {
    const outcome = await run(returning('a😀b'), '{}', { maxOutputChars: 2 });
    expect(outcome.output).toMatch(/^a\n\n\[Output truncated/);
  });

  it('makes output JSON-safe', async () => {
    expect(await run(returning(undefined), '{}')).toMatchObject({
      status: 'completed',
      output: null,
    });
    expect(await run(returning({ at: new Date(0), skip: undefined, n: 1 }), '{}')).toMatchObject({
      output: { at: '1970-01-01T00:00:00.000Z', n: 1 },
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await run(returning(cyclic), '{}')).toMatchObject({
      status: 'failed',
      error: { code: 'CORE_TOOL_OUTPUT_INVALID' },
    });
    expect(await run(returning(10n), '{}')).toMatchObject({
      status: 'failed',
      error: { code: 'CORE_TOOL_OUTPUT_INVALID' },
    });
    expect(
      await run(
        returning(() => 1),
        '{}',
      ),
    ).toMatchObject({
      status: 'failed',
      error: {
        code: 'CORE_TOOL_OUTPUT_INVALID',
        message: 'Tool output is not JSON-serialisable: got a function.',
      },
    });
  });
});

describe('toToolResultOutput', () => {
  const outcome = (partial: Partial<ToolCallOutcome>): ToolCallOutcome => ({
    status: 'completed',
    executionDurationMs: 1,
    ...partial,
  });

  it('maps each status to the provider spec', () => {
    expect(toToolResultOutput(outcome({ output: 'hi' }))).toEqual({ type: 'text', value: 'hi' });
    expect(toToolResultOutput(outcome({ output: { sum: 3 } }))).toEqual({
      type: 'json',
      value: { sum: 3 },
    });
    expect(toToolResultOutput(outcome({ output: null }))).toEqual({ type: 'json', value: null });
    expect(
      toToolResultOutput(outcome({ status: 'failed', error: { message: 'nope', code: 'X' } })),
    ).toEqual({ type: 'error-text', value: 'nope' });
    expect(
      toToolResultOutput(outcome({ status: 'denied', error: { message: 'Denied by the user.' } })),
    ).toEqual({
      type: 'execution-denied',
      reason: 'Denied by the user.',
    });
    expect(toToolResultOutput(outcome({ status: 'denied' }))).toEqual({ type: 'execution-denied' });
    expect(toToolResultOutput(outcome({ status: 'cancelled' }))).toEqual({
      type: 'error-text',
      value: 'Cancelled by the user.',
    });
  });
});
