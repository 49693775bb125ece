/** Error codes of tools, tool sets, tool calls and MCP tool sources. */
export const TOOL_ERROR_CODES = {
  /** Two tools, or two tool sources' prefixes, resolve to the same name. */
  CORE_DUPLICATE_TOOL: 'Two tools have the same name.',
  /** A tool name or source prefix does not match `^[a-zA-Z0-9_-]{1,64}$`, which providers require. */
  CORE_INVALID_TOOL_NAME: 'Tool name is not accepted by providers.',
  /** A tool's zod input schema cannot be turned into a JSON Schema object. */
  CORE_INVALID_TOOL_SCHEMA: 'Tool input schema cannot be converted to a JSON Schema object.',
  /** The model called a tool that does not exist; it is told which ones do. */
  CORE_UNKNOWN_TOOL: 'The model called an unknown tool.',
  /** The model's arguments were not valid JSON or did not match the tool's input schema. */
  CORE_TOOL_INVALID_INPUT: 'Tool arguments are invalid.',
  /** The tool ran past its timeout; its signal was aborted and the call failed. */
  CORE_TOOL_TIMEOUT: 'Tool call timed out.',
  /** The tool returned a value that cannot be serialised to JSON (cycle, BigInt, function). */
  CORE_TOOL_OUTPUT_INVALID: 'Tool output is not JSON-serialisable.',
  /** The model asked for more tool calls in one step than `maxToolCallsPerStep`; the extra ones were not run. */
  CORE_TOOL_CALL_LIMIT: 'Too many tool calls in one step; the extra ones were not run.',
  /** The model's stream ended or failed while a tool call's arguments were still arriving; it never ran. */
  CORE_TOOL_CALL_INCOMPLETE: "The tool call's arguments never finished streaming.",
  /** A human (or an approval policy) denied the call. */
  CORE_TOOL_DENIED: 'Tool call was denied.',
  /** A tool's `title` function threw; the call went on without a title (reported, never thrown). */
  CORE_TOOL_TITLE_FAILED: "A tool's title function failed.",
  /** A `pre_tool_call` hook blocked the call. */
  CORE_TOOL_BLOCKED: 'Tool call was blocked by a hook.',
  /** An MCP server could not be started or reached (command or URL given, never headers). */
  CORE_MCP_CONNECT_FAILED: 'Could not connect to the MCP server.',
  /** An MCP server's tool list did not end within `maxPages` pages (it kept sending a `nextCursor`). */
  CORE_MCP_TOO_MANY_PAGES: 'The MCP server sent more pages of tools than allowed.',
  /** Listing an MCP server's tools took longer than `listTimeoutMs`. */
  CORE_MCP_LIST_TIMEOUT: 'Listing the MCP server tools timed out.',
  /** One tool in an MCP server's list is malformed; it was left out and the others kept. */
  CORE_MCP_INVALID_TOOL: 'An MCP tool definition is invalid and was left out.',
  /** An MCP server answered with something that does not follow the protocol. */
  CORE_MCP_INVALID_RESPONSE: 'The MCP server answer does not follow the protocol.',
  /** A tool source (e.g. a connected MCP server) failed to list its tools; its last list stays in use. */
  CORE_TOOL_SOURCE_FAILED: 'A tool source failed to list its tools.',
} as const;
