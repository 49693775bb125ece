import type { StopReason } from '../schema/run-events.js';
import type { TitleSource } from '../schema/session-events.js';
import type { VoiceAgentState, VoiceUserState } from '../schema/voice-events.js';
import {
  aBoolean,
  aCount,
  aNumber,
  aString,
  anyValue,
  arrayOf,
  objectOf,
  oneOf,
  optional,
  type Check,
} from './json-shape.js';
import type {
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
import { isRecord } from './view-helpers.js';

/** Fields an older server may leave out of a stored view; they read as empty. */
type Defaulted =
  'caughtUp' | 'open' | 'approvals' | 'clarifications' | 'runCount' | 'turns' | 'usage';

/**
 * A {@link SessionView} as read back from JSON: the timeline and the turns as
 * arrays, no item index, and the {@link Defaulted} fields optional.
 */
export type StoredSessionView = Omit<SessionView, 'items' | 'itemIndex' | 'turns' | Defaulted> &
  Partial<Pick<SessionView, Exclude<Defaulted, 'turns'>>> & {
    readonly items: readonly ViewItem[];
    readonly turns?: readonly TurnUsage[];
  };

// The unions as tables, checked complete by `satisfies`.
const STREAM_STATUSES = {
  streaming: true,
  completed: true,
  cancelled: true,
  interrupted: true,
  failed: true,
} satisfies Record<StreamStatus, true>;
const TOOL_CALL_STATUSES = {
  streaming_args: true,
  ready: true,
  awaiting_approval: true,
  running: true,
  completed: true,
  failed: true,
  denied: true,
  cancelled: true,
} satisfies Record<ToolCallViewStatus, true>;
const RUN_STATUSES = { running: true, finished: true, failed: true } satisfies Record<
  RunView['status'],
  true
>;
const STOP_REASONS = {
  completed: true,
  max_tokens: true,
  max_steps: true,
  refusal: true,
  cancelled: true,
  interrupted: true,
  awaiting_input: true,
  stuck: true,
} satisfies Record<StopReason, true>;
const TITLE_SOURCES = { user: true, model: true, fallback: true } satisfies Record<
  TitleSource,
  true
>;
const VOICE_AGENT_STATES = {
  initializing: true,
  listening: true,
  thinking: true,
  speaking: true,
} satisfies Record<VoiceAgentState, true>;
const VOICE_USER_STATES = { listening: true, speaking: true, away: true } satisfies Record<
  VoiceUserState,
  true
>;

const anOptionalString = optional(aString);
const anOptionalNumber = optional(aNumber);
const anOptionalBoolean = optional(aBoolean);

// Contract types (zod `looseObject`s, open to more fields): the fields the view reads.
const cost = objectOf({ amount: aNumber, currency: aString });
const errorInfo = objectOf({
  message: aString,
  code: anOptionalString,
  retryable: anOptionalBoolean,
  hint: anOptionalString,
  status: anOptionalNumber,
});
/** Known parts and any other `{ type }` object, as `contentPartSchema` accepts. */
const contentParts = arrayOf(objectOf({ type: aString }));
const strings = arrayOf(aString);

const itemBase = { runId: anOptionalString, parentRunId: anOptionalString, startedAt: aNumber };

const approvalRecord = objectOf<ApprovalRecord>({
  approvalId: aString,
  status: oneOf({ pending: true, approved: true, denied: true }),
  optionId: anOptionalString,
  automatic: anOptionalBoolean,
  reason: anOptionalString,
});

/** One check per item kind; the key is the item's `kind`. */
const ITEM_SHAPES = {
  message: objectOf<MessageItem>({
    ...itemBase,
    kind: aString,
    id: aString,
    role: oneOf({ user: true, assistant: true, system: true }),
    text: aString,
    status: oneOf(STREAM_STATUSES),
    parts: optional(contentParts),
    source: anOptionalString,
    spokenMs: anOptionalNumber,
  }),
  reasoning: objectOf<ReasoningItem>({
    ...itemBase,
    kind: aString,
    id: aString,
    text: aString,
    status: oneOf(STREAM_STATUSES),
    redacted: anOptionalBoolean,
    durationMs: anOptionalNumber,
  }),
  tool_call: objectOf<ToolCallItem>({
    ...itemBase,
    kind: aString,
    id: aString,
    toolName: aString,
    title: anOptionalString,
    toolKind: anOptionalString,
    status: oneOf(TOOL_CALL_STATUSES),
    argsText: aString,
    input: anyValue,
    output: anyValue,
    content: optional(contentParts),
    error: optional(errorInfo),
    progress: optional(
      objectOf<NonNullable<ToolCallItem['progress']>>({
        message: anOptionalString,
        current: anOptionalNumber,
        total: anOptionalNumber,
      }),
    ),
    durationMs: anOptionalNumber,
    executionDurationMs: anOptionalNumber,
    truncated: anOptionalBoolean,
    approval: optional(approvalRecord),
  }),
  clarify: objectOf<ClarifyItem>({
    ...itemBase,
    kind: aString,
    id: aString,
    question: aString,
    choices: optional(strings),
    status: oneOf({ pending: true, answered: true }),
    answer: anOptionalString,
    source: anOptionalString,
  }),
  steer: objectOf<SteerItem>({
    ...itemBase,
    kind: aString,
    id: aString,
    text: aString,
    mode: optional(oneOf({ tool_boundary: true, next_message: true })),
  }),
  notice: objectOf<NoticeItem>({
    ...itemBase,
    kind: aString,
    severity: oneOf({ info: true, warning: true, error: true }),
    message: aString,
    code: anOptionalString,
  }),
  error: objectOf<ErrorItem>({ ...itemBase, kind: aString, error: errorInfo }),
  compaction: objectOf<CompactionItem>({
    ...itemBase,
    kind: aString,
    id: aString,
    strategy: aString,
    archivedMessages: aNumber,
    tokensBefore: aNumber,
    tokensAfter: aNumber,
    estimated: anOptionalBoolean,
  }),
  handoff: objectOf<HandoffItem>({
    ...itemBase,
    kind: aString,
    fromAgent: aString,
    toAgent: aString,
    reason: anOptionalString,
    summary: anOptionalString,
    toRunId: anOptionalString,
  }),
} satisfies Record<ViewItem['kind'], Check>;

const itemChecks = new Map<string, Check>(Object.entries(ITEM_SHAPES));
const ITEM_KINDS = Object.keys(ITEM_SHAPES).join(', ');

/** A timeline item: the check of its `kind`. */
const viewItem: Check = (value, path, issues) => {
  if (!isRecord(value)) {
    issues.push(`${path}: expected an object`);
    return;
  }
  const check = typeof value.kind === 'string' ? itemChecks.get(value.kind) : undefined;
  if (check === undefined) issues.push(`${path}.kind: expected one of ${ITEM_KINDS}`);
  else check(value, path, issues);
};

const usageView = objectOf<UsageView>({
  inputTokens: aNumber,
  outputTokens: aNumber,
  cachedInputTokens: aNumber,
  reasoningTokens: aNumber,
  totalTokens: aNumber,
  cost: optional(cost),
});

const turnUsage = objectOf<TurnUsage>({
  runId: aString,
  status: oneOf(RUN_STATUSES),
  trigger: anOptionalString,
  agent: anOptionalString,
  model: anOptionalString,
  startedAt: aNumber,
  durationMs: anOptionalNumber,
  usage: usageView,
});

const pendingApproval = objectOf<PendingApproval>({
  approvalId: aString,
  toolCallId: aString,
  toolName: anOptionalString,
  input: anyValue,
  reason: anOptionalString,
  options: optional(arrayOf(objectOf({ optionId: aString, label: aString, kind: aString }))),
  expiresAt: anOptionalString,
  requestedAt: aNumber,
  runId: anOptionalString,
});

const pendingClarify = objectOf<PendingClarify>({
  clarifyId: aString,
  question: aString,
  choices: optional(strings),
  allowFreeText: anOptionalBoolean,
  fallbackAnswer: anOptionalString,
  deadline: anOptionalNumber,
  toolCallId: anOptionalString,
  requestedAt: aNumber,
  runId: anOptionalString,
});

const runView = objectOf<RunView>({
  runId: aString,
  status: oneOf(RUN_STATUSES),
  stopReason: optional(oneOf(STOP_REASONS)),
  error: optional(errorInfo),
  trigger: anOptionalString,
  model: anOptionalString,
  resumeOfRunId: anOptionalString,
  handoffFromRunId: anOptionalString,
  startedAt: aNumber,
  durationMs: anOptionalNumber,
  stepIndex: anOptionalNumber,
  usage: usageView,
  retry: optional(
    objectOf<RetryView>({
      generationId: aString,
      attempt: aNumber,
      nextAttempt: aNumber,
      delayMs: aNumber,
      error: errorInfo,
      fallbackTo: anOptionalString,
      at: aNumber,
    }),
  ),
});

const usageMeter = objectOf<UsageMeterView>({
  runId: aString,
  generationId: aString,
  estimated: aBoolean,
  inputTokens: anOptionalNumber,
  outputTokens: aNumber,
  reasoningTokens: anOptionalNumber,
  tokensPerSecond: anOptionalNumber,
  contextTokens: anOptionalNumber,
  contextWindow: anOptionalNumber,
  cost: optional(cost),
  updatedAt: aNumber,
});

const storedSessionView = objectOf<StoredSessionView>({
  sessionId: anOptionalString,
  title: anOptionalString,
  titleSource: optional(oneOf(TITLE_SOURCES)),
  agent: anOptionalString,
  lastSeq: aCount,
  headSeq: optional(aCount),
  caughtUp: anOptionalBoolean,
  items: arrayOf(viewItem),
  open: optional(arrayOf(aCount)),
  approvals: optional(arrayOf(pendingApproval)),
  clarifications: optional(arrayOf(pendingClarify)),
  run: optional(runView),
  runCount: optional(aCount),
  turns: optional(arrayOf(turnUsage)),
  usage: optional(usageView),
  context: optional(
    objectOf<NonNullable<SessionView['context']>>({
      tokens: anOptionalNumber,
      window: anOptionalNumber,
      estimated: anOptionalBoolean,
    }),
  ),
  meter: optional(usageMeter),
  plan: optional(
    objectOf<NonNullable<SessionView['plan']>>({
      planId: aString,
      entries: arrayOf(objectOf({ content: aString, status: aString })),
    }),
  ),
  endedReason: anOptionalString,
  voice: optional(
    objectOf<NonNullable<SessionView['voice']>>({
      agentState: optional(oneOf(VOICE_AGENT_STATES)),
      userState: optional(oneOf(VOICE_USER_STATES)),
    }),
  ),
});

/**
 * True when `json` has the shape of a stored view; otherwise `issues` says
 * what is wrong, one `path: expected …` line per problem. Also checks that
 * every `open` position points into `items`.
 */
export function isStoredSessionView(json: unknown, issues: string[]): json is StoredSessionView {
  const before = issues.length;
  storedSessionView(json, '', issues);
  if (issues.length === before && isRecord(json) && Array.isArray(json.open)) {
    const size = Array.isArray(json.items) ? json.items.length : 0;
    json.open.forEach((position: unknown, index) => {
      if (typeof position === 'number' && position >= size)
        issues.push(`open[${index}]: expected a position in items (below ${size})`);
    });
  }
  return issues.length === before;
}
