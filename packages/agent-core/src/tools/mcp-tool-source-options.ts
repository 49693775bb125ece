import { envSchema } from '@switchboard/events/internal';
import { z } from 'zod';
import { TOOL_NAME_PATTERN } from './tool-name.js';

const toolNamePart = z.string().regex(TOOL_NAME_PATTERN, 'use 1–64 letters, digits, "_" or "-"');

/** Starts the server as a child process and talks to it over stdin/stdout. */
const stdioTransportSchema = z.object({
  type: z.literal('stdio'),
  /** The executable (`npx`, `node`, `uvx`, an absolute path). */
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  /**
   * Extra environment variables. The child gets only a safe subset of this
   * process's environment (`PATH`, `HOME`, …) plus these, so secrets in our
   * environment do not leak to every server. `process.env` is accepted
   * (entries without a value are left out).
   */
  env: envSchema.optional(),
  /** Working directory of the child. @default process.cwd() */
  cwd: z.string().optional(),
  /** Where the child's stderr goes. @default 'inherit' */
  stderr: z.enum(['inherit', 'ignore']).default('inherit'),
});

/** Talks to a running server over MCP streamable HTTP. */
const httpTransportSchema = z.object({
  type: z.literal('http'),
  /** The server's MCP endpoint, e.g. `https://example.com/mcp`. */
  url: z.url({ protocol: /^https?$/ }),
  /** Sent with every request (e.g. `Authorization`); never logged or put in errors. */
  headers: z.record(z.string(), z.string()).optional(),
});

/** Options of {@link mcpToolSource}, parsed once. */
export const mcpToolSourceOptionsSchema = z.object({
  /** Names the source in errors and, unless `prefix` is set, prefixes its tools (`<name>__<tool>`). */
  name: toolNamePart,
  transport: z.discriminatedUnion('type', [stdioTransportSchema, httpTransportSchema]),
  /** Tool name prefix; `false` keeps the server's tool names. @default name */
  prefix: z.union([toolNamePart, z.literal(false)]).optional(),
  /** Per-call timeout of this server's tools in ms. @default the agent's tool timeout */
  timeoutMs: z.number().int().positive().optional(),
  /** How long starting and initialising the connection may take, in ms. @default 30000 */
  connectTimeoutMs: z.number().int().positive().default(30_000),
  /**
   * How long listing the tools (every page) may take, in ms; past it the
   * listing fails with `CORE_MCP_LIST_TIMEOUT`. @default 30000
   */
  listTimeoutMs: z.number().int().positive().default(30_000),
  /**
   * Pages of `tools/list` read at most; a server that keeps sending a
   * `nextCursor` fails with `CORE_MCP_TOO_MANY_PAGES`. @default 50
   */
  maxPages: z.number().int().positive().default(50),
  /**
   * After a failed connect or listing, the server is not contacted again for
   * `baseDelayMs`, doubling per failure in a row up to `maxDelayMs`; until
   * then `tools()` rejects at once with the last error. A success resets it.
   */
  backoff: z
    .object({
      /** @default 1000 */
      baseDelayMs: z.number().int().nonnegative().default(1_000),
      /** @default 60000 */
      maxDelayMs: z.number().int().nonnegative().default(60_000),
    })
    .default({ baseDelayMs: 1_000, maxDelayMs: 60_000 }),
});

/** What {@link mcpToolSource} accepts. */
export type McpToolSourceOptions = z.input<typeof mcpToolSourceOptionsSchema>;
/** {@link McpToolSourceOptions} with defaults applied. */
export type ResolvedMcpToolSourceOptions = z.output<typeof mcpToolSourceOptionsSchema>;
