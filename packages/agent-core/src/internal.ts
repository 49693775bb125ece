// @switchboard/agent-core/internal: building blocks the packages of this repository
// share, and tests of the loop's parts. UNSTABLE: any of these may change or go in
// a patch release; they are not covered by semver. Applications use the root entry.

export {
  executeToolCall,
  toToolResultOutput,
  type ExecuteToolCallOptions,
  type ExecuteToolCallSettings,
  type ToolCallArguments,
  type ToolProgress,
} from './tools/execute-tool-call.js';
export {
  parseToolArguments,
  parseToolInput,
  validateToolInput,
  type ParsedToolInput,
  type ToolArguments,
} from './tools/parse-tool-input.js';
export { HookRunner, type HookFailureHandler } from './hooks/hook-runner.js';
export { toProviderPrompt } from './sessions/transcript.js';
export { SessionState, type PausedStep, type PendingResponse } from './sessions/session-state.js';
