import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ToolListChangedNotificationSchema,
  ToolSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { SwitchboardError } from '@switchboard/events';
import { z } from 'zod';
import { AgentCoreError, parseCoreOptions } from '../errors/agent-core-error.js';
import type { AgentTool, ToolContext, ToolSource } from './agent-tool.js';
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
 * A `tools/list` page, checked only as an envelope: each tool is checked on
 * its own, so one malformed tool does not take the server's others with it.
 */
const toolsPageSchema = z.looseObject({
  tools: z.array(z.unknown()),
  nextCursor: z.string().optional(),
});

/**
 * Tools of an MCP server (stdio or streamable HTTP) as a {@link ToolSource}.
 * It connects on the first `tools()` call, lists every page of tools, passes
 * their JSON Schemas to the provider unchanged, re-lists after the server's
 * `notifications/tools/list_changed`, and reconnects on the next call after
 * the connection drops. `close()` ends the connection (a stdio server is
 * stopped). Connection failures throw `CORE_MCP_CONNECT_FAILED`; listing is
 * bounded (`maxPages`, `listTimeoutMs`); a malformed tool is left out with a
 * warning (`CORE_MCP_INVALID_TOOL`); after a failure the server is left alone
 * for a growing `backoff` delay, and `tools()` rejects at once meanwhile.
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
  return new McpToolSource(parseCoreOptions(mcpToolSourceOptionsSchema, options));
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
  #warnings: SwitchboardError[] = [];
  /** The last connect or listing failure, its count in a row, and when to try again. */
  #failure: { error: AgentCoreError; count: number; retryAt: number } | undefined;

  constructor(options: ResolvedMcpToolSourceOptions) {
    this.#options = options;
    this.name = options.name;
    this.prefix = options.prefix ?? options.name;
  }

  async tools(): Promise<Record<string, AgentTool>> {
    const { client } = await this.#connectUnlessBackingOff();
    try {
      if (this.#tools && !this.#stale) return this.#tools;
      this.#listing ??= this.#list(client).finally(() => {
        this.#listing = undefined;
      });
      const tools = await this.#listing;
      this.#failure = undefined;
      return tools;
    } catch (error) {
      this.#noteFailure(error);
      throw error;
    }
  }

  takeWarnings(): SwitchboardError[] {
    return this.#warnings.splice(0);
  }

  /** Connects (or reuses the connection), unless a recent failure says to wait. */
  async #connectUnlessBackingOff(): Promise<Connection> {
    this.#throwIfBackingOff();
    try {
      return await this.#connect();
    } catch (error) {
      this.#noteFailure(error);
      throw error;
    }
  }

  /** While backing off, rejects at once with the last failure instead of paying for another. */
  #throwIfBackingOff(): void {
    const failure = this.#failure;
    if (failure === undefined) return;
    const waitMs = failure.retryAt - Date.now();
    if (waitMs <= 0) return;
    const { error } = failure;
    throw new AgentCoreError({
      code: error.code,
      message: `${error.message} (${failure.count} failure(s) in a row; not retried for another ${Math.ceil(waitMs / 1000)} s)`,
      retryable: true,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      details: { ...error.details, failures: failure.count, retryInMs: waitMs },
      cause: error,
    });
  }

  #noteFailure(error: unknown): void {
    if (!(error instanceof AgentCoreError) || this.#failure?.error === error) return; // counted once
    const count = (this.#failure?.count ?? 0) + 1;
    const { baseDelayMs, maxDelayMs } = this.#options.backoff;
    const delayMs = Math.min(maxDelayMs, baseDelayMs * 2 ** (count - 1));
    this.#failure = { error, count, retryAt: Date.now() + delayMs };
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
    const { listTimeoutMs, maxPages } = this.#options;
    const tools: Record<string, AgentTool> = {};
    const warnings: SwitchboardError[] = [];
    // One deadline for every page: a slow or silent server cannot hold a run.
    const signal = AbortSignal.timeout(listTimeoutMs);
    let cursor: string | undefined;
    try {
      for (let page = 1; ; page++) {
        const result = await client.request(
          { method: 'tools/list', params: cursor === undefined ? {} : { cursor } },
          toolsPageSchema,
          { signal, timeout: listTimeoutMs },
        );
        for (const [index, raw] of result.tools.entries()) {
          const parsed = ToolSchema.safeParse(raw);
          if (parsed.success) tools[parsed.data.name] = this.#toAgentTool(parsed.data);
          else warnings.push(this.#invalidTool(raw, index, parsed.error));
        }
        cursor = result.nextCursor;
        if (cursor === undefined) break;
        if (page >= maxPages) throw this.#tooManyPages(maxPages);
      }
    } catch (error) {
      this.#stale = true;
      if (error instanceof AgentCoreError) throw error;
      if (signal.aborted) throw this.#listTimedOut(listTimeoutMs, error);
      throw new AgentCoreError({
        code: isZodError(error) ? 'CORE_MCP_INVALID_RESPONSE' : 'CORE_TOOL_SOURCE_FAILED',
        message: `MCP server "${this.name}" failed to list its tools: ${describe(error)}`,
        retryable: true,
        details: { source: this.name },
        cause: error,
      });
    }
    this.#tools = tools;
    this.#warnings = warnings; // only the latest listing's problems matter (and nothing piles up)
    return tools;
  }

  #invalidTool(raw: unknown, index: number, error: z.ZodError): AgentCoreError {
    const name =
      typeof raw === 'object' && raw != null && typeof (raw as { name?: unknown }).name === 'string'
        ? `"${(raw as { name: string }).name}"`
        : `#${index + 1} (it has no name)`;
    return new AgentCoreError({
      code: 'CORE_MCP_INVALID_TOOL',
      message: `Tool ${name} of MCP server "${this.name}" was left out: ${describeIssues(error)}.`,
      hint: 'The server sends a tool definition that does not follow the MCP schema; fix the server.',
      details: { source: this.name, tool: name },
    });
  }

  #tooManyPages(maxPages: number): AgentCoreError {
    return new AgentCoreError({
      code: 'CORE_MCP_TOO_MANY_PAGES',
      message: `MCP server "${this.name}" was still sending pages of tools after ${maxPages}; listing stopped.`,
      retryable: true,
      hint: 'The server keeps answering with a new nextCursor. Fix the server, or raise maxPages if it really has that many pages.',
      details: { source: this.name, maxPages },
    });
  }

  #listTimedOut(listTimeoutMs: number, cause: unknown): AgentCoreError {
    return new AgentCoreError({
      code: 'CORE_MCP_LIST_TIMEOUT',
      message: `MCP server "${this.name}" did not finish listing its tools within ${listTimeoutMs} ms.`,
      retryable: true,
      hint: 'Check that the server answers tools/list, or raise listTimeoutMs.',
      details: { source: this.name, listTimeoutMs },
      cause,
    });
  }

  #toAgentTool(tool: Tool): AgentTool {
    const title = tool.annotations?.title ?? tool.title;
    return {
      description: tool.description ?? title ?? tool.name,
      jsonSchema: tool.inputSchema,
      ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
      ...(title === undefined ? {} : { title: () => title }),
      execute: async (input, context) => {
        const { client } = await this.#connectUnlessBackingOff();
        const result = await this.#callTool(client, { toolName: tool.name, input, context });
        return mcpResultToOutput(result);
      },
    };
  }

  /** `tools/call`; a result that breaks the protocol fails in words, not as a zod dump. */
  async #callTool(
    client: Client,
    { toolName, input, context }: { toolName: string; input: unknown; context: ToolContext },
  ) {
    try {
      return await client.callTool(
        { name: toolName, arguments: input as Record<string, unknown> },
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
    } catch (error) {
      if (!isZodError(error)) throw error;
      throw new AgentCoreError({
        code: 'CORE_MCP_INVALID_RESPONSE',
        message: `MCP server "${this.name}" answered the call of "${toolName}" with a result that does not follow the protocol: ${describeIssues(error)}.`,
        details: { source: this.name, tool: toolName },
        cause: error,
      });
    }
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

/** A zod error, from this package's zod or the MCP SDK's (whose core errors are `$ZodError`). */
function isZodError(error: unknown): error is z.ZodError {
  return (
    error instanceof Error &&
    (error.name === 'ZodError' || error.name === '$ZodError') &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}

/** Zod issues in words (`inputSchema.type: expected "object"; name: required`), not a JSON dump. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      const what =
        issue.code === 'invalid_union'
          ? 'matches none of the shapes the protocol allows'
          : / received undefined$/.test(issue.message)
            ? 'missing'
            : issue.message.replace(/^Invalid input: /, '');
      return where === '' ? what : `${where}: ${what}`;
    })
    .join('; ');
}

/** An error's message plus its causes' codes (`fetch failed (ECONNREFUSED)`). */
function describe(error: unknown): string {
  if (isZodError(error)) return `its answer does not follow the protocol: ${describeIssues(error)}`;
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
