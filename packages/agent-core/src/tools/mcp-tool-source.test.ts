import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolSource } from './agent-tool.js';
import { executeToolCall } from './execute-tool-call.js';
import { mcpToolSource } from './mcp-tool-source.js';
import { ToolSet } from './tool-set.js';
import { createTestMcpServer } from './test-helpers/mcp-test-server.mjs';

const serverScript = fileURLToPath(new URL('./test-helpers/mcp-test-server.mjs', import.meta.url));
const context = { sessionId: 's1', runId: 'r1', turn: 1, stepIndex: 0, toolCallId: 'c1' };

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
});

function stdioSource(name = 'calc'): ToolSource {
  const source = mcpToolSource({
    name,
    transport: { type: 'stdio', command: process.execPath, args: [serverScript], stderr: 'ignore' },
  });
  opened.push({ close: () => source.close?.() ?? Promise.resolve() });
  return source;
}

/** Calls `toolName` of `set` with `args`. */
async function call(set: ToolSet, toolName: string, args: unknown) {
  return callWith(set, { toolName, args });
}

async function callWith(
  set: ToolSet,
  { toolName, args, signal }: { toolName: string; args: unknown; signal?: AbortSignal },
) {
  return executeToolCall({
    tool: set.get(toolName),
    toolName,
    rawInput: JSON.stringify(args),
    context,
    ...(signal ? { signal } : {}),
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('mcpToolSource over stdio', () => {
  it('lists the tools with their JSON Schemas unchanged, prefixed with the source name', async () => {
    const source = stdioSource();
    const listed = await source.tools();
    expect(Object.keys(listed).sort()).toEqual(['add', 'enable_extra', 'fail', 'pid', 'slow']);
    const set = new ToolSet({ sources: [source] });
    expect(await set.refresh()).toEqual({ failures: [] });
    expect(set.names()).toContain('calc__add');
    const add = set.toSpecTools().find((tool) => tool.name === 'calc__add')!;
    expect(add.description).toBe('Add two numbers');
    // The very object the server sent, not a re-conversion.
    expect(add.inputSchema).toBe(listed.add!.jsonSchema);
    expect(add.inputSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
  });

  it('calls tools: structured results, isError results, cancellation', async () => {
    const set = new ToolSet({ sources: [stdioSource()] });
    await set.refresh();
    expect(await call(set, 'calc__add', { a: 2, b: 40 })).toMatchObject({
      status: 'completed',
      output: { sum: 42 },
    });
    expect(await call(set, 'calc__fail', {})).toMatchObject({
      status: 'failed',
      error: { message: 'disk is full' },
    });

    const controller = new AbortController();
    const pending = callWith(set, { toolName: 'calc__slow', args: {}, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ status: 'cancelled' });
    // The connection survives a cancelled call.
    expect(await call(set, 'calc__add', { a: 1, b: 1 })).toMatchObject({
      status: 'completed',
      output: { sum: 2 },
    });
  });

  it('re-lists after notifications/tools/list_changed', async () => {
    const source = stdioSource();
    const set = new ToolSet({ sources: [source] });
    await set.refresh();
    expect(set.has('calc__extra')).toBe(false);
    expect(await call(set, 'calc__enable_extra', {})).toMatchObject({
      status: 'completed',
      output: 'enabled',
    });
    await expect
      .poll(async () => {
        await set.refresh();
        return set.has('calc__extra');
      })
      .toBe(true);
    expect(await call(set, 'calc__extra', {})).toMatchObject({
      status: 'completed',
      output: 'extra',
    });
  });

  it('answers tools() from its cache until the list changes', async () => {
    const source = stdioSource();
    const first = await source.tools();
    expect(await source.tools()).toBe(first);
  });

  it('close() stops the server process', async () => {
    const source = stdioSource();
    const set = new ToolSet({ sources: [source] });
    await set.refresh();
    const outcome = await call(set, 'calc__pid', {});
    const pid = Number(outcome.output);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(true);
    await set.close();
    await expect.poll(() => isAlive(pid), { timeout: 5_000 }).toBe(false);
  });

  it('reports a command that cannot start as CORE_MCP_CONNECT_FAILED', async () => {
    const source = mcpToolSource({
      name: 'missing',
      transport: { type: 'stdio', command: 'switchboard-no-such-command', args: ['--x'] },
    });
    opened.push({ close: () => source.close?.() ?? Promise.resolve() });
    await expect(source.tools()).rejects.toMatchObject({
      code: 'CORE_MCP_CONNECT_FAILED',
      message: expect.stringContaining('switchboard-no-such-command --x'),
    });
    const set = new ToolSet({ sources: [source] });
    const { failures } = await set.refresh();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      source: 'missing',
      error: { code: 'CORE_MCP_CONNECT_FAILED' },
    });
    expect(set.names()).toEqual([]);
  });

  it('rejects invalid options with every issue listed', () => {
    expect(() =>
      mcpToolSource({ name: 'bad name', transport: { type: 'http', url: 'ftp://x' } }),
    ).toThrow(
      expect.objectContaining({
        code: 'CORE_INVALID_OPTIONS',
        message: expect.stringMatching(/name: .*transport\.url: /s),
      }),
    );
  });
});

describe('mcpToolSource over streamable HTTP', () => {
  async function startHttpServer(): Promise<{
    url: string;
    headers: IncomingHttpHeaders[];
    server: Server;
  }> {
    const headers: IncomingHttpHeaders[] = [];
    // Stateless mode: a fresh server and transport per request, as the SDK recommends.
    const server = createServer((req, res) => {
      headers.push(req.headers);
      const mcp = createTestMcpServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      void mcp.connect(transport).then(() => transport.handleRequest(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/mcp`, headers, server };
  }

  it('lists and calls tools, sending the configured headers', async () => {
    const { url, headers } = await startHttpServer();
    const source = mcpToolSource({
      name: 'remote',
      transport: { type: 'http', url, headers: { authorization: 'Bearer s3cret' } },
    });
    opened.unshift({ close: () => source.close?.() ?? Promise.resolve() });
    const set = new ToolSet({ sources: [source] });
    expect(await set.refresh()).toEqual({ failures: [] });
    expect(
      set.toSpecTools().find((tool) => tool.name === 'remote__add')?.inputSchema,
    ).toMatchObject({ required: ['a', 'b'] });
    expect(await call(set, 'remote__add', { a: 20, b: 22 })).toMatchObject({
      status: 'completed',
      output: { sum: 42 },
    });
    expect(await call(set, 'remote__fail', {})).toMatchObject({
      status: 'failed',
      error: { message: 'disk is full' },
    });
    expect(headers.every((h) => h.authorization === 'Bearer s3cret')).toBe(true);
  });

  it('reports a refused connection as CORE_MCP_CONNECT_FAILED without the headers', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const source = mcpToolSource({
      name: 'down',
      transport: {
        type: 'http',
        url: `http://127.0.0.1:${port}/mcp?token=abc`,
        headers: { authorization: 'Bearer s3cret' },
      },
    });
    const error = await source.tools().then(
      () => undefined,
      (reason: unknown) => reason as Error & { code: string },
    );
    expect(error?.code).toBe('CORE_MCP_CONNECT_FAILED');
    expect(error?.message).toContain(`http://127.0.0.1:${port}/mcp?…`);
    expect(error?.message).toContain('ECONNREFUSED');
    expect(JSON.stringify({ message: error?.message, error })).not.toMatch(/s3cret|token=abc/);
  });
});
