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

describe('mcpToolSource against misbehaving servers', () => {
  const misbehaving = fileURLToPath(
    new URL('./test-helpers/misbehaving-mcp-server.mjs', import.meta.url),
  );

  function misbehavingSource(
    mode: string,
    options: Partial<Parameters<typeof mcpToolSource>[0]> = {},
  ): ToolSource {
    const source = mcpToolSource({
      name: 'odd',
      transport: { type: 'stdio', command: process.execPath, args: [misbehaving, mode] },
      ...options,
    });
    opened.push({ close: () => source.close?.() ?? Promise.resolve() });
    return source;
  }

  it('stops a server that sends a new nextCursor forever at maxPages (CORE_MCP_TOO_MANY_PAGES)', async () => {
    const capped = misbehavingSource('endless-cursor', { maxPages: 5 });
    await expect(capped.tools()).rejects.toMatchObject({
      code: 'CORE_MCP_TOO_MANY_PAGES',
      // The message ends with the hint (AgentCoreError appends it).
      message:
        'MCP server "odd" was still sending pages of tools after 5; listing stopped. ' +
        'The server keeps answering with a new nextCursor. Fix the server, or raise maxPages if it really has that many pages.',
    });
    // The default cap (50) ends the listing too.
    const defaults = misbehavingSource('endless-cursor');
    await expect(defaults.tools()).rejects.toMatchObject({
      code: 'CORE_MCP_TOO_MANY_PAGES',
      details: { maxPages: 50 },
    });
  });

  it('bounds listing by listTimeoutMs (CORE_MCP_LIST_TIMEOUT)', async () => {
    const source = misbehavingSource('hang-list', { listTimeoutMs: 300 });
    await expect(source.tools()).rejects.toMatchObject({
      code: 'CORE_MCP_LIST_TIMEOUT',
      message:
        'MCP server "odd" did not finish listing its tools within 300 ms. ' +
        'Check that the server answers tools/list, or raise listTimeoutMs.',
    });
  });

  it('leaves out a malformed tool with a warning naming it, keeping the valid ones', async () => {
    const source = misbehavingSource('invalid-tool');
    const set = new ToolSet({ sources: [source] });
    const { failures } = await set.refresh();
    expect(set.names()).toEqual(['odd__good']);
    expect(failures.map((failure) => failure.error.code)).toEqual([
      'CORE_MCP_INVALID_TOOL',
      'CORE_MCP_INVALID_TOOL',
    ]);
    const [bad, nameless] = failures.map((failure) => failure.error.message);
    expect(bad).toMatch(/^Tool "bad" of MCP server "odd" was left out: inputSchema\.type: /);
    expect(bad).toContain('"object"');
    expect(nameless).toMatch(
      /^Tool #3 \(it has no name\) of MCP server "odd" was left out: name: /,
    );
    for (const message of [bad, nameless]) expect(message).not.toMatch(/[[{]\s*"/);
    // Reported once, not on every refresh.
    expect((await set.refresh()).failures).toEqual([]);
  });

  it('turns a result that breaks the protocol into a worded CORE_MCP_INVALID_RESPONSE', async () => {
    const set = new ToolSet({ sources: [misbehavingSource('bad-call-result')] });
    await set.refresh();
    const outcome = await call(set, 'odd__echo', {});
    expect(outcome).toMatchObject({
      status: 'failed',
      error: { code: 'CORE_MCP_INVALID_RESPONSE' },
    });
    expect(outcome.error!.message).toMatch(
      /^MCP server "odd" answered the call of "echo" with a result that does not follow the protocol: content\.0/,
    );
    expect(outcome.error!.message).not.toMatch(/[[{]\s*"/);
  });
});

describe('mcpToolSource backoff', () => {
  it('does not reconnect to a hung server on every call: it backs off, rejecting at once', async () => {
    let requests = 0;
    const hung = createServer(() => {
      requests += 1; // and never answers
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const { port } = hung.address() as AddressInfo;
    opened.push({
      close: () =>
        new Promise<void>((resolve) => {
          hung.closeAllConnections();
          hung.close(() => resolve());
        }),
    });
    const source = mcpToolSource({
      name: 'hung',
      transport: { type: 'http', url: `http://127.0.0.1:${port}/mcp` },
      connectTimeoutMs: 200,
      backoff: { baseDelayMs: 400, maxDelayMs: 10_000 },
    });
    opened.unshift({ close: () => source.close?.() ?? Promise.resolve() });

    await expect(source.tools()).rejects.toMatchObject({ code: 'CORE_MCP_CONNECT_FAILED' });
    expect(requests).toBe(1);
    // Meanwhile: the last error at once, without contacting the server.
    const meanwhile = await source.tools().catch((error: unknown) => error);
    expect(meanwhile).toMatchObject({
      code: 'CORE_MCP_CONNECT_FAILED',
      details: { failures: 1, retryInMs: expect.any(Number) },
    });
    expect((meanwhile as Error).message).toMatch(
      /1 failure\(s\) in a row; not retried for another/,
    );
    expect(requests).toBe(1);

    // After the delay it tries again; a second failure doubles the delay.
    await expect
      .poll(async () => (await source.tools().catch((error: unknown) => error), requests), {
        timeout: 5_000,
        interval: 100,
      })
      .toBe(2);
    const doubled = await source.tools().catch((error: unknown) => error);
    expect(doubled).toMatchObject({ details: { failures: 2 } });
    expect((doubled as { details: { retryInMs: number } }).details.retryInMs).toBeGreaterThan(400);
    expect(requests).toBe(2);
  });
});
