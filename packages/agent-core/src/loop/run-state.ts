import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { EventBus, TokenUsage } from '@switchboard/events';
import type { HookRunner } from '../hooks/hook-runner.js';
import type { ModelCatalog, RunModels } from '../models/model-catalog.js';
import type { ModelInfoTable } from '../models/model-info.js';
import type { SecretRedaction } from '../models/redact-secrets.js';
import type { PendingRequest, TranscriptEntry } from '../sessions/session-snapshot.js';
import type { SessionState } from '../sessions/session-state.js';
import type { AgentTool } from '../tools/agent-tool.js';
import type { ToolSet } from '../tools/tool-set.js';
import type { AttachmentLoader } from '../sessions/load-attachments.js';
import type { PriceTable } from '../usage/price-table.js';
import type { ResolvedAgentOptions } from '../agent/agent-options.js';
import type { RunEmitter } from './run-emitter.js';
import type { RunResult } from '../agent/run-handle.js';
import type { ContentPart } from '@switchboard/events';
import type { UserContent } from '../sessions/user-content.js';

/** What a run needs from its agent: resolved once per agent. */
export interface AgentRuntime {
  readonly options: ResolvedAgentOptions;
  readonly name: string;
  readonly bus: EventBus;
  readonly hooks: HookRunner;
  readonly tools: ToolSet;
  readonly prices: PriceTable;
  /** Context windows and output limits by model (built-in table plus `modelInfo`). */
  readonly modelInfo: ModelInfoTable;
  /** What is redacted before events leave and the transcript is stored. */
  readonly redaction: SecretRedaction;
  /** The models sessions of this agent may use, resolved once. */
  readonly models: ModelCatalog;
  /** The model that writes session titles (`titles.model`, else the agent's default model). */
  titleModel(): LanguageModelV3;
  instructions(sessionId: string): Promise<string>;
  now(): number;
  newId(prefix: string): string;
  reportError(error: Error): void;
  /**
   * Runs `run` to its end. Injected by the agent so that built-in tools which start
   * child runs (sub-agents) never import the loop that calls them.
   */
  executeRun(run: RunState, input: RunInput): Promise<RunResult>;
}

/** What starts a run. */
export type RunInput =
  | {
      kind: 'user';
      messageId: string;
      parts: ContentPart[];
      /** The parts as provider content (checked when the run was started). */
      content: UserContent;
      text: string;
      source: 'text' | 'voice';
    }
  | { kind: 'resume' }
  | { kind: 'continue' }
  /** `session.say()`: one assistant message, no model call. */
  | { kind: 'say'; messageId: string; text: string };

/** What a run needs from its session. */
export interface SessionCore {
  readonly id: string;
  /** The session's snapshot: read it through `state.snapshot`, change it through its intent methods. */
  readonly state: SessionState;
  /** Persists the snapshot (serialised per session; failures are reported, not thrown). */
  checkpoint(): Promise<void>;
  /** Adds a transcript entry (an id is made when it has none). */
  addEntry(entry: Omit<TranscriptEntry, 'id'> & { id?: string }): TranscriptEntry;
  /** Steers that arrived during the active run, in order; taken by the loop at a tool boundary. */
  takeSteers(): Array<{ steerId: string; text: string }>;
  /** Waits for `respond()` on a clarify request, or its timeout, or the signal. */
  waitForAnswer(
    request: Extract<PendingRequest, { kind: 'clarify' }>,
    signal: AbortSignal,
  ): Promise<{ answer: string; source: 'user' | 'timeout' }>;
}

/** One run in flight. */
export interface RunState {
  readonly agent: AgentRuntime;
  readonly session: SessionCore;
  readonly runId: string;
  readonly turn: number;
  readonly trigger: 'user' | 'resume' | 'steer' | 'subagent' | 'handoff' | 'say' | 'reply';
  readonly emitter: RunEmitter;
  /** Fixed when the run starts: a model changed meanwhile applies from the next run. */
  readonly model: RunModels;
  readonly signal: AbortSignal;
  /** Loads `attachment:<id>` parts for the model (see RunOptions.attachments). */
  readonly attachments?: AttachmentLoader;
  readonly parentRunId?: string;
  /** The parent's tool call that started this sub-agent run. */
  readonly parentToolCallId?: string;
  /** With trigger `handoff`: the run that handed the conversation over. */
  readonly handoffFromRunId?: string;
  /** Tools that exist only for this run (ask_user, handoff targets). */
  readonly localTools: Record<string, AgentTool>;
  /** The text that started the run (for hooks). */
  userMessage: string;
  usage: TokenUsage;
  costUsd: number | undefined;
  /** Model calls made in this run (the budget counts these). */
  modelCalls: number;
  /** The last assistant text of the run. */
  lastText: string;
  /** Index of the next step. */
  nextStepIndex: number;
  /** Extra system instructions for this run only (`RunOptions.instructions`). */
  readonly instructions?: string;
  /** Rounds of tool calls this run may make (`RunOptions.maxToolSteps`). */
  readonly maxToolSteps?: number;
  /** Rounds of tool calls made so far. */
  toolSteps: number;
  /**
   * A preemptive run's go-ahead: it resolves when the run is confirmed;
   * until then the run runs no tool and does not finish.
   */
  readonly confirmed?: Promise<void>;
  /** Set by `withdraw()`: the run ends leaving nothing in the transcript. */
  withdrawn?: boolean;
  /** Set by a transfer tool: the run ends and the session continues with another agent. */
  handoff?: { target: HandoffTarget; toRunId: string; reason?: string };
}

/** An agent a run can hand the conversation to (see `handoffs` in AgentOptions). */
export interface HandoffTarget {
  readonly name: string;
  /** @internal */
  runtime(): AgentRuntime;
}
