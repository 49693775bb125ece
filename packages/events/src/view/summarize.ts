import type { AnyEvent } from '../schema/agent-event.js';
import type { Cost, ErrorInfo } from '../schema/shared-schemas.js';
import { reduceSession, initialSessionView } from './reduce-session.js';
import type { SessionView } from './session-view.js';

/** The 50th and 95th percentile of a set of durations (nearest rank), and how many there were. */
export interface Percentiles {
  readonly count: number;
  /** Undefined when `count` is 0. */
  readonly p50?: number;
  readonly p95?: number;
}

/** What {@link summarize} reports about a session. */
export interface SessionSummary {
  readonly sessionId?: string;
  readonly title?: string;
  /** Top-level runs (a resume after an approval is a run of its own). */
  readonly runs: number;
  /** User turns: messages the user sent. */
  readonly turns: number;
  readonly messages: { readonly user: number; readonly assistant: number; readonly total: number };
  readonly toolCalls: {
    readonly total: number;
    /** Per tool name: how many calls, by final status. */
    readonly byName: Readonly<
      Record<
        string,
        { readonly total: number; readonly byStatus: Readonly<Record<string, number>> }
      >
    >;
  };
  readonly tokens: {
    readonly input: number;
    readonly output: number;
    readonly cached: number;
    readonly reasoning: number;
    readonly total: number;
  };
  readonly cost?: Cost;
  readonly latency: {
    /** From `generation.finished.timeToFirstTokenMs`. */
    readonly timeToFirstTokenMs: Percentiles;
    /** From `durationMs` of top-level `run.finished` / `run.failed`. */
    readonly runDurationMs: Percentiles;
  };
  /**
   * Errors by code (`UNKNOWN` without one): failed runs, failed tool calls,
   * failed model calls, retried attempts, unparsable tool inputs and error notices.
   */
  readonly errors: { readonly total: number; readonly byCode: Readonly<Record<string, number>> };
}

/**
 * Numbers about a session (turns, messages, tool calls, tokens, cost,
 * latency percentiles, errors by code), from its events. Messages, tool calls
 * and usage come from {@link reduceSession}'s view, so they agree with what a
 * UI shows; latencies and errors are read from the events it passes over.
 */
export function summarize(events: Iterable<AnyEvent>): SessionSummary {
  let view: SessionView = initialSessionView();
  const ttft: number[] = [];
  const runDurations: number[] = [];
  const errors: Record<string, number> = {};
  const countError = (error: ErrorInfo | undefined) => {
    if (error === undefined) return;
    const code = typeof error.code === 'string' ? error.code : 'UNKNOWN';
    errors[code] = (errors[code] ?? 0) + 1;
  };
  for (const event of events) {
    const next = reduceSession(view, event);
    if (next === view) continue; // a duplicate or another session's event
    view = next;
    const data: Record<string, unknown> = isRecord(event.data) ? event.data : {};
    switch (event.type) {
      case 'generation.finished':
        if (typeof data.timeToFirstTokenMs === 'number') ttft.push(data.timeToFirstTokenMs);
        countError(errorOf(data.error));
        break;
      case 'generation.retrying':
        countError(errorOf(data.error));
        break;
      case 'run.finished':
      case 'run.failed':
        // Top-level runs only: a sub-agent's run is part of its parent's duration.
        if (event.parentRunId === undefined && typeof data.durationMs === 'number')
          runDurations.push(data.durationMs);
        countError(errorOf(data.error));
        break;
      case 'tool_call.completed':
        if (data.status === 'failed') countError(errorOf(data.error) ?? { message: '' });
        break;
      case 'tool_call.ready':
        countError(errorOf(data.inputError));
        break;
      case 'notice':
        if (data.severity === 'error') countError(errorOf({ ...data, code: data.code }));
        break;
    }
  }

  let user = 0;
  let assistant = 0;
  let total = 0;
  let toolTotal = 0;
  const byName: Record<string, { total: number; byStatus: Record<string, number> }> = {};
  for (const item of view.items) {
    if (item.kind === 'message') {
      total++;
      if (item.role === 'user') user++;
      if (item.role === 'assistant') assistant++;
    } else if (item.kind === 'tool_call') {
      toolTotal++;
      const entry = (byName[item.toolName] ??= { total: 0, byStatus: {} });
      entry.total++;
      entry.byStatus[item.status] = (entry.byStatus[item.status] ?? 0) + 1;
    }
  }
  const usage = view.usage;
  return {
    ...(view.sessionId === undefined ? {} : { sessionId: view.sessionId }),
    ...(view.title === undefined ? {} : { title: view.title }),
    runs: view.runCount,
    turns: user,
    messages: { user, assistant, total },
    toolCalls: { total: toolTotal, byName },
    tokens: {
      input: usage.inputTokens,
      output: usage.outputTokens,
      cached: usage.cachedInputTokens,
      reasoning: usage.reasoningTokens,
      total: usage.totalTokens,
    },
    ...(usage.cost === undefined ? {} : { cost: usage.cost }),
    latency: { timeToFirstTokenMs: percentiles(ttft), runDurationMs: percentiles(runDurations) },
    errors: { total: Object.values(errors).reduce((sum, n) => sum + n, 0), byCode: errors },
  };
}

/** Nearest-rank percentiles: always a value that was measured. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number;
  return { count: sorted.length, p50: rank(50), p95: rank(95) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value != null && !Array.isArray(value);
}

function errorOf(value: unknown): ErrorInfo | undefined {
  return isRecord(value) && typeof value.message === 'string' ? (value as ErrorInfo) : undefined;
}
