// @switchboard/testkit/bench: what Switchboard's benchmarks share (and yours can use).
export { startBenchServers } from './start-bench-servers.js';
export type { BenchServers } from './start-bench-servers.js';
export type { BenchScriptName } from './bench-protocol.js';
export {
  THREE_TOOL_CALLS_ANSWER,
  THREE_TOOL_CALLS_PROMPT,
  threeToolCallsThenAnswer,
} from './three-tool-calls.js';
