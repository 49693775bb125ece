import type { ContentPart, Cost, ErrorInfo } from '../schema/shared-schemas.js';
import type { StopReason } from '../schema/run-events.js';
import type { TitleSource } from '../schema/session-events.js';
import type { VoiceAgentState, VoiceUserState } from '../schema/voice-events.js';
import type { ItemIndex } from './item-index.js';
import type { ViewList } from './view-list.js';

// Type-only imports above: the view model must not pull zod into a bundle.

/** Where a streamed message or reasoning block stands. */
export type StreamStatus = 'streaming' | 'completed' | 'cancelled' | 'interrupted' | 'failed';

/** Where a tool call stands, from its first streamed argument to its result. */
export type ToolCallViewStatus =
  | 'streaming_args'
  | 'ready'
  | 'awaiting_approval'
  | 'running'
  | 'completed'
  | 'failed'
  | 'denied'
  | 'cancelled';

/** Fields every timeline item has. */
interface ItemBase {
  /** The run the item belongs to (absent for session-level notices). */
  readonly runId?: string;
  /** Set when the item comes from a child run (sub-agent). */
  readonly parentRunId?: string;
  /** `ts` of the event that created the item. */
  readonly startedAt: number;
}

/** A user, assistant or system message. */
export interface MessageItem extends ItemBase {
  readonly kind: 'message';
  readonly id: string;
  readonly role: 'user' | 'assistant' | 'system';
  /** The text so far (the full text once `status` is terminal). */
  readonly text: string;
  readonly status: StreamStatus;
  /** The parts of a user message (text, images, files) as sent. */
  readonly parts?: readonly ContentPart[];
  /** How a user message arrived (`text`, `voice`, `steer`). */
  readonly source?: string;
  /** Voice: an assistant message cut by a barge-in; `text` is what was spoken. */
  readonly spokenMs?: number;
}

/** A reasoning (thinking) block. */
export interface ReasoningItem extends ItemBase {
  readonly kind: 'reasoning';
  readonly id: string;
  readonly text: string;
  readonly status: StreamStatus;
  /** The provider sent it only in encrypted or redacted form. */
  readonly redacted?: boolean;
  /** Time from its first event to `reasoning.completed` (absent while streaming or when cut off). */
  readonly durationMs?: number;
}

/** A tool call, matched by id across its events. */
export interface ToolCallItem extends ItemBase {
  readonly kind: 'tool_call';
  readonly id: string;
  readonly toolName: string;
  readonly title?: string;
  /** ACP tool kind (`read`, `edit`, `fetch`, …), for an icon. */
  readonly toolKind?: string;
  readonly status: ToolCallViewStatus;
  /** The arguments' JSON text as streamed (until `input` is known). */
  readonly argsText: string;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly content?: readonly ContentPart[];
  readonly error?: ErrorInfo;
  /** Last progress report of a long-running tool. */
  readonly progress?: {
    readonly message?: string;
    readonly current?: number;
    readonly total?: number;
  };
  /** Total time, including approval and queueing (the event's, else measured from `ts`). */
  readonly durationMs?: number;
  /** Time spent executing only. */
  readonly executionDurationMs?: number;
  /** The output was cut to a size limit. */
  readonly truncated?: boolean;
  /** Set when the call needed a human decision. */
  readonly approval?: ApprovalRecord;
}

/** The approval history of a tool call. */
export interface ApprovalRecord {
  readonly approvalId: string;
  readonly status: 'pending' | 'approved' | 'denied';
  readonly optionId?: string;
  /** Decided by a policy, not a person. */
  readonly automatic?: boolean;
  readonly reason?: string;
}

/** A question the agent asked, and the answer once there is one. */
export interface ClarifyItem extends ItemBase {
  readonly kind: 'clarify';
  readonly id: string;
  readonly question: string;
  readonly choices?: readonly string[];
  readonly status: 'pending' | 'answered';
  readonly answer?: string;
  /** Who answered: `user`, `timeout` (the fallback) or `cancelled`. */
  readonly source?: string;
}

/** Guidance the user sent while a run was in progress. */
export interface SteerItem extends ItemBase {
  readonly kind: 'steer';
  readonly id: string;
  readonly text: string;
  /** Set once applied: at a tool boundary or as the next message. */
  readonly mode?: 'tool_boundary' | 'next_message';
}

/** Something a user should see that is not part of the conversation. */
export interface NoticeItem extends ItemBase {
  readonly kind: 'notice';
  readonly severity: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly code?: string;
}

/** A run that ended on an error. */
export interface ErrorItem extends ItemBase {
  readonly kind: 'error';
  readonly error: ErrorInfo;
}

/** Older turns were summarised to fit the context window (`context.compacted`). */
export interface CompactionItem extends ItemBase {
  readonly kind: 'compaction';
  readonly id: string;
  /** How the context was shrunk (`summarise`, `truncate`, …). */
  readonly strategy: string;
  /** Messages moved out of the prompt. */
  readonly archivedMessages: number;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  /** The token counts are estimates, not provider counts. */
  readonly estimated?: boolean;
}

/** Control passed to another agent (`agent.handoff`). */
export interface HandoffItem extends ItemBase {
  readonly kind: 'handoff';
  readonly fromAgent: string;
  readonly toAgent: string;
  readonly reason?: string;
  readonly summary?: string;
  /** The run the target agent continues in. */
  readonly toRunId?: string;
}

/** One entry of the session's timeline, in the order the events came. */
export type ViewItem =
  | MessageItem
  | ReasoningItem
  | ToolCallItem
  | ClarifyItem
  | SteerItem
  | NoticeItem
  | ErrorItem
  | CompactionItem
  | HandoffItem;

/**
 * Usage of one turn: a top-level run (a user's message, a resume, a handoff
 * target), for a per-turn chart. Sums the turn's model calls and its
 * sub-agents' while it runs; the run's own totals once it ended.
 */
export interface TurnUsage {
  readonly runId: string;
  readonly status: 'running' | 'finished' | 'failed';
  /** What started the run (`user`, `handoff`, `resume`, …). */
  readonly trigger?: string;
  readonly agent?: string;
  readonly model?: string;
  readonly startedAt: number;
  /** Wall time of the run, once it ended. */
  readonly durationMs?: number;
  readonly usage: UsageView;
}

/** A tool call waiting for a human decision. */
export interface PendingApproval {
  readonly approvalId: string;
  readonly toolCallId: string;
  readonly toolName?: string;
  readonly input?: unknown;
  readonly reason?: string;
  readonly options?: readonly {
    readonly optionId: string;
    readonly label: string;
    readonly kind: string;
  }[];
  /** ISO 8601 deadline, when the request expires. */
  readonly expiresAt?: string;
  readonly requestedAt: number;
  readonly runId?: string;
}

/** A question the agent asked the user. */
export interface PendingClarify {
  readonly clarifyId: string;
  readonly question: string;
  readonly choices?: readonly string[];
  readonly allowFreeText?: boolean;
  readonly fallbackAnswer?: string;
  /** Epoch ms after which the fallback answer is used (`ts + timeoutMs`). */
  readonly deadline?: number;
  readonly toolCallId?: string;
  readonly requestedAt: number;
  readonly runId?: string;
}

/** Token counts and cost, summed or as reported. */
export interface UsageView {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  readonly reasoningTokens: number;
  readonly totalTokens: number;
  /** Absent until some event carried a cost. */
  readonly cost?: Cost;
}

/**
 * The live usage meter: the latest model call of the current (or last)
 * top-level run. Estimated while the call streams (run-scoped
 * `usage.updated` with `estimated`), exact once it ended
 * (`generation.finished`, then the call's exact `usage.updated`).
 */
export interface UsageMeterView {
  readonly runId: string;
  readonly generationId: string;
  /** True while the numbers are estimates of a call that is still streaming. */
  readonly estimated: boolean;
  /** The call's prompt tokens (estimated while streaming, when the producer sends them). */
  readonly inputTokens?: number;
  /** The call's output tokens so far (estimated from streamed characters while streaming). */
  readonly outputTokens: number;
  readonly reasoningTokens?: number;
  /** Output tokens per second over the call's streaming time. */
  readonly tokensPerSecond?: number;
  /** Context used by the call (prompt plus output); absent for calls outside the conversation (summaries). */
  readonly contextTokens?: number;
  /** The model's context window, when the producer knows the model. */
  readonly contextWindow?: number;
  /** The run's cost so far, this call included (estimated while streaming). */
  readonly cost?: Cost;
  /** `ts` of the last event that moved the meter. */
  readonly updatedAt: number;
}

/** A model call being retried (from `generation.retrying`), until its next attempt starts. */
export interface RetryView {
  readonly generationId: string;
  readonly attempt: number;
  readonly nextAttempt: number;
  readonly delayMs: number;
  readonly error: ErrorInfo;
  readonly fallbackTo?: string;
  readonly at: number;
}

/** The current (or last) top-level run. */
export interface RunView {
  readonly runId: string;
  readonly status: 'running' | 'finished' | 'failed';
  /** Why it ended, once `finished`. */
  readonly stopReason?: StopReason;
  readonly error?: ErrorInfo;
  readonly trigger?: string;
  readonly model?: string;
  readonly resumeOfRunId?: string;
  readonly handoffFromRunId?: string;
  readonly startedAt: number;
  readonly durationMs?: number;
  /** Step being executed (last `step.started`). */
  readonly stepIndex?: number;
  readonly usage: UsageView;
  /** Set while a model call waits to be retried. */
  readonly retry?: RetryView;
}

/**
 * Everything a surface renders for one session, reduced from its events by
 * {@link reduceSession}. Immutable: each event yields a new object sharing all
 * unchanged parts with the previous one.
 */
export interface SessionView {
  readonly sessionId?: string;
  /**
   * The session title: the last `session.title_updated` (or a restored
   * session's `session.started.title`). Undefined until the session has one:
   * surfaces show their own fallback.
   */
  readonly title?: string;
  /** Who set {@link title}: the user, the title model, or the fallback from the first message. */
  readonly titleSource?: TitleSource;
  readonly agent?: string;
  /** Highest `seq` applied; events at or below it are ignored (resume replays them). */
  readonly lastSeq: number;
  /** `headSeq` of the last `stream.opened` frame, if any. */
  readonly headSeq?: number;
  /** True once every event stored when the stream opened has been applied. */
  readonly caughtUp: boolean;
  /**
   * The timeline: messages, reasoning, tool calls, questions, steer notes,
   * notices, run errors, compaction and handoff markers.
   */
  readonly items: ViewList<ViewItem>;
  /** Lookup of items by id (internal; shared between states). */
  readonly itemIndex: ItemIndex;
  /** Positions in `items` of what is still streaming or running. */
  readonly open: readonly number[];
  readonly approvals: readonly PendingApproval[];
  readonly clarifications: readonly PendingClarify[];
  readonly run?: RunView;
  /** Number of top-level runs seen. */
  readonly runCount: number;
  /** Usage per top-level run, oldest first (one entry per run, `runCount` in all). */
  readonly turns: ViewList<TurnUsage>;
  /** Session totals: summed over model calls, or the last session `usage.updated`. */
  readonly usage: UsageView;
  /**
   * Context window fill, from the last `usage.updated` that had it;
   * `estimated` while that was the live estimate of a streaming call.
   */
  readonly context?: {
    readonly tokens?: number;
    readonly window?: number;
    readonly estimated?: boolean;
  };
  /** The live usage meter of the latest model call of a top-level run. */
  readonly meter?: UsageMeterView;
  readonly plan?: {
    readonly planId: string;
    readonly entries: readonly { readonly content: string; readonly status: string }[];
  };
  /** Set by `session.ended`. */
  readonly endedReason?: string;
  /** Voice sessions: the last `voice.agent_state` / `voice.user_state` (transcripts are user messages). */
  readonly voice?: { readonly agentState?: VoiceAgentState; readonly userState?: VoiceUserState };
}
