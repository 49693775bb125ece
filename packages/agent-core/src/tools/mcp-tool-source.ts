import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { parseOptions, SwitchboardError } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';
import type { AgentTool, ToolSource } from './agent-tool.js';
import { mcpResultToOutput } from './mcp-call-result.js';
import {
  mcpToolSourceOptionsSchema,
  type McpToolSourceOptions,
  type ResolvedMcpToolSourceOptions,
} from './mcp-tool-source-options.js';

const CLIENT_INFO = { name: '@switchboard/agent-core', version: '0.0.0' };
// The SDK fails any request after 60 s by default. Tool calls are timed by
// executeToolCall through their signal instead, so this is only a backstop.
const CALL_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/**
 * Tools of an MCP server (stdio or streamable HTTP) as a {@link ToolSource}.
 * It connects on the first `tools()` call, lists every page of tools, passes
 * their JSON Schemas to the provider unchanged, re-lists after the server's
 * `notifications/tools/list_changed`, and reconnects on the next call after
 * the connection drops. `close()` ends the connection (a stdio server is
 * stopped). Connection failures throw `CORE_MCP_CONNECT_FAILED`.
 *
 * @example
 * ```ts
 * const fs = mcpToolSource({
 *   name: 'fs',
 *   transport: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '.'] },
 * });
 * createAgent({ model, toolSources: [fs] }); // tools named fs__read_file, …
 * ```
 */
export function mcpToolSource(options: McpToolSourceOptions): ToolSource {
  return new McpToolSource(
    parseOptions(mcpToolSourceOptionsSchema, options, 'CORE_INVALID_OPTIONS'),
  );
}

interface Connection {
  client: Client;
  transport: Transport;
}

class McpToolSource implements ToolSource {
  readonly name: string;
  readonly prefix: string | false;
  readonly #options: ResolvedMcpToolSourceOptions;
  #connection: Promise<Connection> | undefined;
  /** The open connection, once `#connection` resolved; cleared when it closes. */
  #current: Connection | undefined;
  #tools: Record<string, AgentTool> | undefined;
  #listing: Promise<Record<string, AgentTool>> | undefined;
  #stale = true;

  constructor(options: ResolvedMcpToolSourceOptions) {
    this.#options = options;
    this.name = options.name;
    this.prefix = options.prefix ?? options.name;
  }

  async tools(): Promise<Record<string, AgentTool>> {
    const { client } = await this.#connect();
    if (this.#tools && !this.#stale) return this.#tools;
    this.#listing ??= this.#list(client).finally(() => {
      this.#listing = undefined;
    });
    return this.#listing;
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    this.#current = undefined;
    this.#tools = undefined;
    const opened = await connection?.catch(() => undefined);
    if (!opened) return;
    if (
      opened.transport instanceof StreamableHTTPClientTransport &&
      opened.transport.sessionId !== undefined
    ) {
      // Lets a stateful server free the session now instead of at its idle timeout.
      await opened.transport.terminateSession().catch(() => undefined);
    }
    await opened.client.close();
  }

  #connect(): Promise<Connection> {
    this.#connection ??= this.#open().catch((error: unknown) => {
      this.#connection = undefined;
      throw error;
    });
    return this.#connection;
  }

  async #open(): Promise<Connection> {
    const transport = this.#createTransport();
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      this.#stale = true;
    });
    const connection: Connection = { client, transport };
    client.onclose = () => {
      // A dead server (crashed child, dropped session) is reconnected on the next call.
      if (this.#current !== connection) return;
      this.#current = undefined;
      this.#connection = undefined;
      this.#stale = true;
    };
    try {
      await client.connect(transport, { timeout: this.#options.connectTimeoutMs });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw this.#connectFailed(error);
    }
    this.#current = connection;
    this.#stale = true;
    return connection;
  }

  #createTransport(): Transport {
    const { transport } = this.#options;
    if (transport.type === 'stdio') {
      return new StdioClientTransport({
        command: transport.command,
        args: transport.args,
        stderr: transport.stderr,
        ...(transport.env === undefined ? {} : { env: transport.env }),
        ...(transport.cwd === undefined ? {} : { cwd: transport.cwd }),
      });
    }
    return new StreamableHTTPClientTransport(new URL(transport.url), {
      ...(transport.headers === undefined ? {} : { requestInit: { headers: transport.headers } }),
    });
  }

  async #list(client: Client): Promise<Record<string, AgentTool>> {
    // Cleared before listing, so a change announced while listing triggers another list.
    this.#stale = false;
    const tools: Record<string, AgentTool> = {};
    const cursors = new Set<string>();
    let cursor: string | undefined;
    try {
      do {
        const page = await client.listTools(cursor === undefined ? undefined : { cursor });
        for (const tool of page.tools) tools[tool.name] = this.#toAgentTool(tool);
        cursor = page.nextCursor;
        // A server that repeats a cursor would otherwise be listed forever.
        if (cursor !== undefined && cursors.has(cursor)) break;
        if (cursor !== undefined) cursors.add(cursor);
      } while (cursor !== undefined);
    } catch (error) {
      this.#stale = true;
      throw new AgentCoreError({
        code: 'CORE_TOOL_SOURCE_FAILED',
        message: `MCP server "${this.name}" failed to list its tools: ${describe(error)}`,
        retryable: true,
        details: { source: this.name },
        cause: error,
      });
    }
    this.#tools = tools;
    return tools;
  }

  #toAgentTool(tool: Tool): AgentTool {
    const title = tool.annotations?.title ?? tool.title;
    return {
      description: tool.description ?? title ?? tool.name,
      jsonSchema: tool.inputSchema,
      ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
      ...(title === undefined ? {} : { title: () => title }),
      execute: async (input, context) => {
        const { client } = await this.#connect();
        const result = await client.callTool(
          { name: tool.name, arguments: input as Record<string, unknown> },
          undefined,
          {
            signal: context.signal,
            timeout: CALL_TIMEOUT_MS,
            onprogress: ({ progress, total, message }) =>
              context.progress({
                current: progress,
                ...(total === undefined ? {} : { total }),
                ...(message === undefined ? {} : { message }),
              }),
          },
        );
        return mcpResultToOutput(result);
      },
    };
  }

  #connectFailed(error: unknown): AgentCoreError {
    const { transport } = this.#options;
    const target =
      transport.type === 'stdio'
        ? [transport.command, ...transport.args].join(' ')
        : redactUrl(transport.url);
    return new AgentCoreError({
      code: 'CORE_MCP_CONNECT_FAILED',
      message: `Could not connect to MCP server "${this.name}" (${target}): ${describe(error)}`,
      retryable: true,
      hint:
        transport.type === 'stdio'
          ? 'Check that the command exists and starts an MCP server on stdio.'
          : 'Check that the server is running and the URL points at its MCP endpoint.',
      details: { source: this.name, transport: transport.type, target },
      cause: error,
    });
  }
}

/** The URL without credentials or query, which often carry tokens. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}${parsed.search === '' ? '' : '?…'}`;
}

/** An error's message plus its causes' codes (`fetch failed (ECONNREFUSED)`). */
function describe(error: unknown): string {
  if (SwitchboardError.isInstance(error) || !(error instanceof Error))
    return error instanceof Error ? error.message : String(error);
  const codes: string[] = [];
  for (
    let cause: unknown = error.cause;
    cause instanceof Error && codes.length < 3;
    cause = cause.cause
  ) {
    const code = (cause as { code?: unknown }).code;
    codes.push(typeof code === 'string' ? code : cause.message);
  }
  return codes.length > 0 ? `${error.message} (${codes.join(': ')})` : error.message;
}
