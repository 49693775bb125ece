// @switchboard/agent-core/conformance: the contract tests every SessionStore backend passes (vitest).

export { describeSessionStoreConformance } from './conformance/session-store-conformance.js';
export type {
  SessionStoreHarness,
  SessionStoreTestOptions,
} from './conformance/session-store-conformance.js';
