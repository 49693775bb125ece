import type { LanguageModelV3Message } from '@ai-sdk/provider';
import type { StopReason, TokenUsage } from '@switchboard/events';

/** Ids every run-scoped hook payload carries. */
export interface RunIds {
  sessionId: string;
  runId: string;
  /** Run number within the session, from 1; persists across restarts, resets on session reset. */
  turn: number;
  /** Set on runs of sub-agents: the run that spawned them. */
  parentRunId?: string;
}

/**
 * Plugin hooks, named as in the Hermes agent whose Langfuse plugin this
 * project descends from, with ids on every payload (Hermes v0.12 left
 * `session_id` and `tool_call_id` out of some of them, which forced its
 * plugin into FIFO matching by tool name). Every hook point is also an event
 * on the `@switchboard/events` bus; see the README for the mapping.
 *
 * A hook may be async. A throwing or rejecting hook is reported (as a
 * `notice` event with code `CORE_HOOK_FAILED`) and never breaks the run.
 */
export interface AgentHooks {
  /** The session was created or loaded. */
  on_session_start(payload: {
    sessionId: string;
    agentName: string;
    model: string;
    platform: string;
    restored: boolean;
  }): void | Promise<void>;
  /** A run starts (before the first model call). */
  pre_llm_call(
    payload: RunIds & {
      userMessage: string;
      history: readonly LanguageModelV3Message[];
      isFirstTurn: boolean;
      model: string;
      platform: string;
      trigger: 'user' | 'resume' | 'steer' | 'subagent' | 'handoff' | 'say' | 'reply';
    },
  ): void | Promise<void>;
  /** One model API call finished (one per generation, after retries). */
  post_api_request(
    payload: RunIds & {
      stepIndex: number;
      apiCallIndex: number;
      generationId: string;
      provider: string;
      model: string;
      responseModel?: string;
      apiDurationMs: number;
      timeToFirstTokenMs?: number;
      finishReason: string;
      usage: TokenUsage;
      costUsd?: number;
      messageCount: number;
      assistantContentChars: number;
      assistantToolCallCount: number;
      attempt: number;
      fallbackIndex: number;
    },
  ): void | Promise<void>;
  /** A tool call is about to run. Return `{ block: reason }` to refuse it (the model sees the reason). */
  pre_tool_call(
    payload: RunIds & { stepIndex: number; toolName: string; args: unknown; toolCallId: string },
  ): void | { block: string } | Promise<void | { block: string }>;
  /** A tool call reached a terminal status. */
  post_tool_call(
    payload: RunIds & {
      stepIndex: number;
      toolName: string;
      args: unknown;
      result: unknown;
      isError: boolean;
      status: 'completed' | 'failed' | 'denied' | 'cancelled';
      error?: { message: string; code?: string };
      toolCallId: string;
      durationMs: number;
    },
  ): void | Promise<void>;
  /** The model gave its final answer for the run. */
  post_llm_call(
    payload: RunIds & {
      userMessage: string;
      assistantResponse: string;
      history: readonly LanguageModelV3Message[];
      model: string;
      platform: string;
      usage: TokenUsage;
    },
  ): void | Promise<void>;
  /** A run ended, whatever the reason (Hermes fires this per run, not per session). */
  on_session_end(
    payload: RunIds & {
      completed: boolean;
      interrupted: boolean;
      stopReason: StopReason | 'failed';
      error?: { code: string; message: string };
      model: string;
      platform: string;
    },
  ): void | Promise<void>;
  /** The conversation was cleared (`/new`, `/clear`). */
  on_session_reset(payload: { sessionId: string }): void | Promise<void>;
  /** The session is closed for good (shutdown, explicit close). */
  on_session_finalize(payload: { sessionId: string }): void | Promise<void>;
}

/** Hook names, in lifecycle order. */
export const HOOK_NAMES = [
  'on_session_start',
  'pre_llm_call',
  'post_api_request',
  'pre_tool_call',
  'post_tool_call',
  'post_llm_call',
  'on_session_end',
  'on_session_reset',
  'on_session_finalize',
] as const satisfies readonly (keyof AgentHooks)[];

export type HookName = keyof AgentHooks;

/** Handlers as users pass them: one function or several per hook. */
export type HookHandlers = { [K in HookName]?: AgentHooks[K] | AgentHooks[K][] };
