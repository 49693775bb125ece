// @switchboard/events/conformance: the contract tests every EventLog backend passes (vitest).

export { describeEventLogConformance } from './node/conformance/event-log-conformance.js';
export type {
  EventLogHarness,
  EventLogUnderTest,
} from './node/conformance/event-log-conformance.js';
