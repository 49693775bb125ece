// A tiny MCP server for tests: `node mcp-test-server.mjs` serves it on stdio;
// the HTTP test imports `createTestMcpServer` and serves it over HTTP.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

/** A fresh server with tools `add`, `fail`, `pid`, `slow` and `enable_extra`. */
export function createTestMcpServer() {
  const server = new McpServer({ name: 'test-server', version: '1.0.0' });
  server.registerTool(
    'add',
    { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } },
    ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
      structuredContent: { sum: a + b },
    }),
  );
  server.registerTool('fail', { description: 'Always fails' }, () => ({
    isError: true,
    content: [{ type: 'text', text: 'disk is full' }],
  }));
  server.registerTool('pid', { description: 'The server process id' }, () => ({
    content: [{ type: 'text', text: String(process.pid) }],
  }));
  server.registerTool(
    'slow',
    { description: 'Waits until cancelled' },
    (extra) =>
      new Promise((resolve) => {
        extra.signal.addEventListener('abort', () =>
          resolve({ content: [{ type: 'text', text: 'aborted' }] }),
        );
      }),
  );
  server.registerTool('enable_extra', { description: 'Adds the tool `extra`' }, () => {
    // Registering after connect makes the server send notifications/tools/list_changed.
    server.registerTool('extra', { description: 'Added later' }, () => ({
      content: [{ type: 'text', text: 'extra' }],
    }));
    return { content: [{ type: 'text', text: 'enabled' }] };
  });
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await createTestMcpServer().connect(new StdioServerTransport());
}
