// @switchboard/agent-core. Ready: tools (zod and MCP sources) and the hook contract.
// The agent loop itself is in progress (see README.md, "Status").

export { defineTool } from './tools/define-tool.js';
export type { ToolDefinition } from './tools/define-tool.js';
export { ToolSet } from './tools/tool-set.js';
export type { ToolSetOptions, ToolSetRefreshResult } from './tools/tool-set.js';
export { executeToolCall, toToolResultOutput } from './tools/execute-tool-call.js';
export type { ExecuteToolCallOptions, ToolProgress } from './tools/execute-tool-call.js';
export { mcpToolSource } from './tools/mcp-tool-source.js';
export { mcpToolSourceOptionsSchema } from './tools/mcp-tool-source-options.js';
export type {
  McpToolSourceOptions,
  ResolvedMcpToolSourceOptions,
} from './tools/mcp-tool-source-options.js';
export { TOOL_NAME_PATTERN } from './tools/tool-name.js';
export type {
  AgentTool,
  ToolApproval,
  ToolApprovalPredicate,
  ToolCallOutcome,
  ToolContext,
  ToolSource,
} from './tools/agent-tool.js';

export { HOOK_NAMES } from './hooks/agent-hooks.js';
export type { AgentHooks, HookHandlers, HookName, RunIds } from './hooks/agent-hooks.js';
export { HookRunner } from './hooks/hook-runner.js';
export type { HookFailureHandler } from './hooks/hook-runner.js';

export { AgentCoreError, CORE_ERROR_CODES } from './errors/agent-core-error.js';
export type { AgentCoreErrorInit, CoreErrorCode } from './errors/agent-core-error.js';
