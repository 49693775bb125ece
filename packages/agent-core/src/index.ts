// @switchboard/agent-core: the agent loop on the AI SDK provider specification.

export { Agent, createAgent } from './agent/agent.js';
export { agentOptionsSchema } from './agent/agent-options.js';
export type { AgentOptions, ResolvedAgentOptions } from './agent/agent-options.js';
export { AgentSession } from './agent/agent-session.js';
export type { RequestResponse, RunOptions, UserInput } from './agent/agent-session.js';
export type { RunHandle, RunResult } from './agent/run-handle.js';
export type { SubagentTool } from './agent/subagent-tool.js';
export { canonicalJson } from './agent/stuck-detector.js';

export { HOOK_NAMES } from './hooks/agent-hooks.js';
export type { AgentHooks, HookHandlers, HookName, RunIds } from './hooks/agent-hooks.js';

export { AgentCoreError, CORE_ERROR_CODES } from './errors/agent-core-error.js';
export type { AgentCoreErrorInit, CoreErrorCode } from './errors/agent-core-error.js';

export type { AgentTool, ToolApproval, ToolCallOutcome, ToolContext, ToolSource } from './tools/agent-tool.js';

export { SNAPSHOT_VERSION, sessionSnapshotSchema } from './sessions/session-snapshot.js';
export type {
  EntryDisplay,
  PendingRequest,
  SessionSnapshot,
  SessionStore,
  TranscriptEntry,
  UsageTotals,
} from './sessions/session-snapshot.js';
