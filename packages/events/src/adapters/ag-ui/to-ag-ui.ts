import {
  EventType,
  type BaseEvent,
  type Interrupt,
  type RunFinishedOutcome,
  type TokenUsage as AgUiTokenUsage,
} from '@ag-ui/core';
import type { AnyEvent } from '../../schema/agent-event.js';
import type { TokenUsage } from '../../schema/shared-schemas.js';

/** An AG-UI event as this adapter produces it (the `@ag-ui/core` event union, loosely typed). */
export type AgUiEvent = BaseEvent & Record<string, unknown>;

/** Namespace of the events and metadata this adapter adds (`CUSTOM` names, `metadata` key). */
export const AG_UI_NAMESPACE = 'switchboard';

/** A stateful converter from Switchboard events to AG-UI events, for one session stream. */
export interface AgUiAdapter {
  /** Converts one event; returns zero or more AG-UI events, in order. */
  push(event: AnyEvent): AgUiEvent[];
  /** Closes whatever is still open (a stream cut mid-run) and returns those events. */
  end(): AgUiEvent[];
}

interface RunState {
  runId: string;
  messages: Set<string>;
  reasoning: Set<string>;
  toolCalls: Set<string>;
  argsSeen: Set<string>;
  steps: Set<number>;
}

/**
 * Maps the contract onto AG-UI 1.0 (`@ag-ui/core`), keeping AG-UI's lifecycle
 * rules: RUN_STARTED first, START before CONTENT/END, every message, reasoning
 * block, tool call and step closed before RUN_FINISHED, nothing after it.
 * Events AG-UI has no word for travel as `CUSTOM{name: "switchboard.<type>",
 * value: <event>}`, and every output carries `metadata.switchboard = {seq, ts}`,
 * so the original stream can be rebuilt. See the package README for what a
 * generic AG-UI client loses.
 */
export function createAgUiAdapter(): AgUiAdapter {
  let run: RunState | undefined;
  /** Events outside a run (AG-UI forbids them): delivered as CUSTOM inside the next run. */
  let outside: AnyEvent[] = [];

  const meta = (event: AnyEvent) => ({
    timestamp: event.ts,
    metadata: { [AG_UI_NAMESPACE]: { seq: event.seq, ts: event.ts } },
  });
  const custom = (event: AnyEvent): AgUiEvent => ({
    type: EventType.CUSTOM,
    name: `${AG_UI_NAMESPACE}.${event.type}`,
    value: event,
    ...meta(event),
  });

  function closeAll(event: AnyEvent, state: RunState): AgUiEvent[] {
    const out: AgUiEvent[] = [];
    for (const messageId of state.messages)
      out.push({ type: EventType.TEXT_MESSAGE_END, messageId, ...meta(event) });
    for (const messageId of state.reasoning) {
      out.push(
        { type: EventType.REASONING_MESSAGE_END, messageId, ...meta(event) },
        { type: EventType.REASONING_END, messageId, ...meta(event) },
      );
    }
    for (const toolCallId of state.toolCalls)
      out.push({ type: EventType.TOOL_CALL_END, toolCallId, ...meta(event) });
    for (const step of state.steps)
      out.push({ type: EventType.STEP_FINISHED, stepName: `step-${step}`, ...meta(event) });
    state.messages.clear();
    state.reasoning.clear();
    state.toolCalls.clear();
    state.steps.clear();
    return out;
  }

  function push(event: AnyEvent): AgUiEvent[] {
    const data = (event.data ?? {}) as Record<string, unknown>;
    if (
      event.type === 'run.started' &&
      event.parentRunId === undefined &&
      event.runId !== undefined
    ) {
      const out: AgUiEvent[] = run ? closeAll(event, run) : [];
      run = {
        runId: event.runId,
        messages: new Set(),
        reasoning: new Set(),
        toolCalls: new Set(),
        argsSeen: new Set(),
        steps: new Set(),
      };
      out.push({
        type: EventType.RUN_STARTED,
        threadId: event.sessionId,
        runId: event.runId,
        ...meta(event),
      });
      for (const early of outside) out.push(custom(early));
      outside = [];
      return out;
    }
    // Session events, events between runs, and sub-agent runs: not part of an AG-UI run.
    if (!run || event.runId !== run.runId) {
      if (!run) {
        outside.push(event);
        return [];
      }
      return [custom(event)];
    }
    const state = run;
    switch (event.type) {
      case 'run.finished': {
        const out = closeAll(event, state);
        const usage = toAgUiUsage(data.usage as TokenUsage | undefined);
        out.push({
          type: EventType.RUN_FINISHED,
          threadId: event.sessionId,
          runId: state.runId,
          outcome: outcomeOf(data),
          ...(usage ? { usage: [usage] } : {}),
          ...meta(event),
        });
        run = undefined;
        return out;
      }
      case 'run.failed': {
        const out = closeAll(event, state);
        const error = (data.error ?? {}) as { message?: string; code?: string };
        out.push({
          type: EventType.RUN_ERROR,
          message: error.message ?? 'Run failed',
          ...(error.code ? { code: error.code } : {}),
          ...meta(event),
        });
        run = undefined;
        return out;
      }
      case 'step.started':
        state.steps.add(data.stepIndex as number);
        return [
          {
            type: EventType.STEP_STARTED,
            stepName: `step-${String(data.stepIndex)}`,
            ...meta(event),
          },
        ];
      case 'step.finished':
        if (!state.steps.delete(data.stepIndex as number)) return [];
        return [
          {
            type: EventType.STEP_FINISHED,
            stepName: `step-${String(data.stepIndex)}`,
            ...meta(event),
          },
        ];
      case 'user.message': {
        const messageId = data.messageId as string;
        const text = ((data.parts ?? []) as Array<{ type: string; text?: string }>)
          .filter((part) => part.type === 'text')
          .map((part) => part.text ?? '')
          .join('');
        return [
          { type: EventType.TEXT_MESSAGE_START, messageId, role: 'user', ...meta(event) },
          ...(text
            ? [{ type: EventType.TEXT_MESSAGE_CONTENT, messageId, delta: text, ...meta(event) }]
            : []),
          { type: EventType.TEXT_MESSAGE_END, messageId, ...meta(event) },
        ];
      }
      case 'message.started':
        state.messages.add(data.messageId as string);
        return [
          {
            type: EventType.TEXT_MESSAGE_START,
            messageId: data.messageId,
            role: 'assistant',
            ...meta(event),
          },
        ];
      case 'message.delta':
        if (!state.messages.has(data.messageId as string)) return [custom(event)];
        return [
          {
            type: EventType.TEXT_MESSAGE_CONTENT,
            messageId: data.messageId,
            delta: data.delta,
            ...meta(event),
          },
        ];
      case 'message.completed':
        if (!state.messages.delete(data.messageId as string)) return [];
        return [
          ...(data.status && data.status !== 'completed' ? [custom(event)] : []),
          { type: EventType.TEXT_MESSAGE_END, messageId: data.messageId, ...meta(event) },
        ];
      case 'reasoning.started': {
        const messageId = data.reasoningId as string;
        state.reasoning.add(messageId);
        return [
          { type: EventType.REASONING_START, messageId, ...meta(event) },
          { type: EventType.REASONING_MESSAGE_START, messageId, role: 'reasoning', ...meta(event) },
        ];
      }
      case 'reasoning.delta':
        if (!state.reasoning.has(data.reasoningId as string)) return [custom(event)];
        return [
          {
            type: EventType.REASONING_MESSAGE_CONTENT,
            messageId: data.reasoningId,
            delta: data.delta,
            ...meta(event),
          },
        ];
      case 'reasoning.completed': {
        const messageId = data.reasoningId as string;
        if (!state.reasoning.delete(messageId)) return [];
        return [
          { type: EventType.REASONING_MESSAGE_END, messageId, ...meta(event) },
          { type: EventType.REASONING_END, messageId, ...meta(event) },
        ];
      }
      case 'tool_call.started':
        state.toolCalls.add(data.toolCallId as string);
        return [
          {
            type: EventType.TOOL_CALL_START,
            toolCallId: data.toolCallId,
            toolCallName: data.toolName,
            ...(typeof data.parentMessageId === 'string'
              ? { parentMessageId: data.parentMessageId }
              : {}),
            ...meta(event),
          },
        ];
      case 'tool_call.args_delta':
        if (!state.toolCalls.has(data.toolCallId as string)) return [custom(event)];
        state.argsSeen.add(data.toolCallId as string);
        return [
          {
            type: EventType.TOOL_CALL_ARGS,
            toolCallId: data.toolCallId,
            delta: data.delta,
            ...meta(event),
          },
        ];
      case 'tool_call.ready': {
        const toolCallId = data.toolCallId as string;
        if (!state.toolCalls.delete(toolCallId)) return [custom(event)];
        const out: AgUiEvent[] = [];
        if (!state.argsSeen.has(toolCallId)) {
          out.push({
            type: EventType.TOOL_CALL_ARGS,
            toolCallId,
            delta: JSON.stringify(data.input ?? {}),
            ...meta(event),
          });
        }
        out.push({ type: EventType.TOOL_CALL_END, toolCallId, ...meta(event) });
        return out;
      }
      case 'tool_call.completed': {
        const toolCallId = data.toolCallId as string;
        const out: AgUiEvent[] = [];
        if (state.toolCalls.delete(toolCallId))
          out.push({ type: EventType.TOOL_CALL_END, toolCallId, ...meta(event) });
        const error = data.error as { message?: string } | undefined;
        const content =
          data.status === 'completed'
            ? stringify(data.output)
            : (error?.message ?? String(data.status));
        out.push({
          type: EventType.TOOL_CALL_RESULT,
          messageId: `${toolCallId}:result`,
          toolCallId,
          content,
          role: 'tool',
          timestamp: event.ts,
          metadata: {
            [AG_UI_NAMESPACE]: {
              seq: event.seq,
              ts: event.ts,
              status: data.status,
              ...(data.error ? { error: data.error } : {}),
              ...(data.durationMs === undefined ? {} : { durationMs: data.durationMs }),
            },
          },
        });
        return out;
      }
      case 'tool_call.progress':
        return [
          {
            type: EventType.ACTIVITY_SNAPSHOT,
            messageId: `progress:${String(data.toolCallId)}`,
            activityType: 'TOOL_PROGRESS',
            content: data,
            ...meta(event),
          },
        ];
      case 'plan.updated':
        return [
          {
            type: EventType.ACTIVITY_SNAPSHOT,
            messageId: data.planId,
            activityType: 'PLAN',
            content: { entries: data.entries },
            ...meta(event),
          },
        ];
      default:
        return [custom(event)];
    }
  }

  return {
    push,
    end() {
      // A stream cut mid-run (e.g. a dropped connection): close what is open, without a RUN_FINISHED.
      if (!run) return [];
      const last = {
        v: 1,
        type: 'stream.end',
        seq: 0,
        ts: Date.now(),
        sessionId: '',
        data: {},
      } as AnyEvent;
      const out = closeAll(last, run);
      run = undefined;
      return out;
    },
  };
}

/** Converts a whole event list (e.g. a JSONL file) to AG-UI events. */
export function toAgUiEvents(events: Iterable<AnyEvent>): AgUiEvent[] {
  const adapter = createAgUiAdapter();
  const out: AgUiEvent[] = [];
  for (const event of events) out.push(...adapter.push(event));
  out.push(...adapter.end());
  return out;
}

function outcomeOf(data: Record<string, unknown>): RunFinishedOutcome {
  if (data.stopReason === 'awaiting_input') {
    const interrupts = (
      (data.interrupts ?? []) as Array<{
        interruptId: string;
        reason: string;
        toolCallId?: string;
        message?: string;
        expiresAt?: string;
      }>
    ).map((interrupt): Interrupt => ({
      id: interrupt.interruptId,
      reason: interrupt.reason,
      ...(interrupt.toolCallId ? { toolCallId: interrupt.toolCallId } : {}),
      ...(interrupt.message ? { message: interrupt.message } : {}),
      ...(interrupt.expiresAt ? { expiresAt: interrupt.expiresAt } : {}),
    }));
    if (interrupts.length > 0) return { type: 'interrupt', interrupts };
  }
  if (data.stopReason === 'cancelled' || data.stopReason === 'interrupted')
    return { type: 'cancelled' };
  return { type: 'success' };
}

function toAgUiUsage(usage: TokenUsage | undefined): AgUiTokenUsage | undefined {
  if (!usage) return undefined;
  const keys = [
    'provider',
    'model',
    'inputTokens',
    'outputTokens',
    'totalTokens',
    'reasoningTokens',
    'cachedInputTokens',
  ] as const;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (usage[key] !== undefined) out[key] = usage[key];
  return Object.keys(out).length > 0 ? out : undefined;
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value ?? null);
}
