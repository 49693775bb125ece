// @switchboard/agent-core: the agent loop over the AI SDK provider spec, its tools, hooks,
// sessions and stores. Everything it does is an event of @switchboard/events.

export { Agent, createAgent } from './agent/agent.js';
export type { AgentRunOptions, CreateSessionOptions } from './agent/agent.js';
export { agentOptionsSchema } from './agent/agent-options.js';
export type { AgentOptions, ResolvedAgentOptions } from './agent/agent-options.js';
export { AgentSession } from './agent/agent-session.js';
export type { RequestResponse, RunOptions } from './agent/agent-session.js';
export type { UserInput } from './loop/user-input.js';
export type { RunHandle, RunResult } from './agent/run-handle.js';
export type { SubagentTool } from './tools/built-in/subagent-tool.js';

export { MemorySessionStore } from './sessions/memory-session-store.js';
export type { MemorySessionStoreOptions } from './sessions/memory-session-store.js';
export { SqliteSessionStore } from './sessions/sqlite-session-store.js';
export type { SqliteSessionStoreOptions } from './sessions/sqlite-session-store.js';
export {
  SNAPSHOT_VERSION,
  sessionSnapshotSchema,
  transcriptEntrySchema,
  pendingRequestSchema,
} from './sessions/session-snapshot.js';
export type {
  ActiveRun,
  EntryDisplay,
  PendingRequest,
  SessionCheckpoint,
  SessionLease,
  SessionListing,
  SessionListOptions,
  SessionPage,
  SessionSnapshot,
  SessionStore,
  StoredSessionInfo,
  TranscriptEntry,
  UsageTotals,
} from './sessions/session-snapshot.js';
export { loadAttachments } from './sessions/load-attachments.js';
export type { AttachmentLoader } from './sessions/load-attachments.js';
export { createEmptySnapshot, MISSING_TOOL_RESULT } from './sessions/transcript.js';

export { resolveModel } from './models/resolve-model.js';
export type { ProviderSettings } from './models/resolve-model.js';
export { classifyProviderError } from './models/provider-errors.js';
export { redactSecrets } from './models/redact-secrets.js';
export type { RetryPolicy } from './models/open-model-stream.js';
export {
  createModelInfoTable,
  DEFAULT_MODEL_INFO,
  findModelInfo,
  modelInfoSchema,
} from './models/model-info.js';
export type { ModelInfo, ModelInfoTable } from './models/model-info.js';

export { computeCost, createPriceTable, DEFAULT_PRICES, findPrice } from './usage/price-table.js';
export type { ModelPrice, PriceTable } from './usage/price-table.js';
export { addUsage, toTokenUsage } from './usage/token-usage.js';

export { defineTool } from './tools/define-tool.js';
export type { ToolDefinition } from './tools/define-tool.js';
export { ToolSet } from './tools/tool-set.js';
export type { ToolSetOptions, ToolSetRefreshResult } from './tools/tool-set.js';
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

export { AgentCoreError, CORE_ERROR_CODES } from './errors/agent-core-error.js';
export type { AgentCoreErrorInit, CoreErrorCode } from './errors/agent-core-error.js';

// Building blocks of a SessionStore backend (the SQLite and Postgres stores share them).
export { toCheckpoint } from './sessions/session-checkpoint.js';
export { parseStoredSnapshot } from './sessions/parse-stored-snapshot.js';
export type { StoredSessionParts } from './sessions/parse-stored-snapshot.js';
export { encodeCursor, foldCase, parseListOptions } from './sessions/session-listing.js';
export type { ListPosition, ParsedListOptions } from './sessions/session-listing.js';
export {
  DEFAULT_LEASE_MS,
  mayTakeLease,
  newLeaseOwner,
  sessionConflict,
  sessionLocked,
} from './sessions/session-lease.js';
export type { StoredLease } from './sessions/session-lease.js';

// The voice WebSocket the web server accepts and voice-session serves audio on.
export type { VoiceSocket } from './voice/voice-socket.js';
