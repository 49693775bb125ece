// The session view model: what every surface renders, reduced from events.

export { ViewList } from './view-list.js';
export { ItemIndex } from './item-index.js';
export { initialSessionView, reduceEvents, reduceSession } from './reduce-session.js';
export type { SessionViewInput, StreamOpenedInput } from './reduce-session.js';
export type {
  ApprovalRecord,
  ClarifyItem,
  CompactionItem,
  ErrorItem,
  HandoffItem,
  MessageItem,
  NoticeItem,
  PendingApproval,
  PendingClarify,
  ReasoningItem,
  RetryView,
  RunView,
  SessionView,
  SteerItem,
  StreamStatus,
  ToolCallItem,
  ToolCallViewStatus,
  TurnUsage,
  UsageMeterView,
  UsageView,
  ViewItem,
} from './session-view.js';
export { toMarkdown } from './to-markdown.js';
export { compactionLine, handoffLine } from './marker-items.js';
export type { ToMarkdownOptions } from './to-markdown.js';
export { percentiles, summarize } from './summarize.js';
export type { Percentiles, SessionSummary } from './summarize.js';
export {
  parseSessionViewJson,
  sessionViewFromJson,
  toSessionViewJson,
} from './session-view-json.js';
export type { SessionViewJson } from './session-view-json.js';
