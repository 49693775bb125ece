import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** A fresh server with tools `add`, `fail`, `pid`, `slow` and `enable_extra`. */
export function createTestMcpServer(): McpServer;
