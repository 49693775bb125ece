import { EventType, type AGUIEvent } from '@ag-ui/core';
import type { AgentEvent, AnyEvent } from '../../schema/agent-event.js';
import { isVoiceEvent } from '../../schema/is-voice-event.js';
import { isKnownEvent } from '../../schema/parse-event.js';
import { AG_UI_NAMESPACE, AgUiRun, stampOf, stepName, type AgUiStamp } from './ag-ui-run.js';
import { outcomeOf, toAgUiUsage } from './ag-ui-outcome.js';

export { AG_UI_NAMESPACE };

/** An AG-UI event as this adapter produces it: a member of `@ag-ui/core`'s event union. */
export type AgUiEvent = AGUIEvent;

/** A stateful converter from Switchboard events to AG-UI events, for one session stream. */
export interface AgUiAdapter {
  /** Converts one event; returns zero or more AG-UI events, in order. */
  push(event: AnyEvent): AgUiEvent[];
  /** Closes whatever is still open (a stream cut mid-run) and returns those events. */
  end(): AgUiEvent[];
}

/** RUN_ERROR code of a run that a new one replaced before it reported its end. */
const UNTERMINATED_RUN = `${AG_UI_NAMESPACE}.run_unterminated`;

/**
 * Maps the contract onto AG-UI 1.0 (`@ag-ui/core`), keeping AG-UI's lifecycle
 * rules: RUN_STARTED first, START before CONTENT/END, every message, reasoning
 * block, tool call and step closed before RUN_FINISHED, nothing after it.
 * Events AG-UI has no word for travel as `CUSTOM{name: "switchboard.<type>",
 * value: <event>}`, and every output carries `metadata.switchboard = {seq, ts}`,
 * so the original stream can be rebuilt. See the package README for what a
 * generic AG-UI client loses.
 *
 * Each top-level run is one AG-UI run; a session replay is several runs in
 * one stream (AG-UI allows a RUN_STARTED after a RUN_FINISHED). A paused run
 * (`awaiting_input`) finishes with an `interrupt` outcome, and the resume run
 * sends the paused tool calls' TOOL_CALL_RESULTs, which AG-UI clients attach
 * to the call of the earlier run. A stream that starts mid-run (resumed from
 * a `seq`) opens that run with a RUN_STARTED of its own.
 */
export function createAgUiAdapter(): AgUiAdapter {
  let run: AgUiRun | undefined;
  /** Events outside a run (AG-UI forbids them): delivered as CUSTOM inside the next run. */
  let outside: AnyEvent[] = [];
  /** Runs that ended in this stream: their late events are not a mid-stream start. */
  const ended = new Set<string>();
  let last: AgUiStamp | undefined;

  const custom = (event: AnyEvent): AgUiEvent => ({
    type: EventType.CUSTOM,
    name: `${AG_UI_NAMESPACE}.${event.type}`,
    value: event,
    ...stampOf(event),
  });

  function startRun(event: AnyEvent, runId: string): AgUiEvent[] {
    const stamp = stampOf(event);
    const out: AgUiEvent[] = [];
    if (run) {
      // The previous run never reported its end (a crash): AG-UI needs it closed before the next.
      out.push(...run.closeAll(stamp), {
        type: EventType.RUN_ERROR,
        message: `Run ${run.runId} ended without a terminal event.`,
        code: UNTERMINATED_RUN,
        ...stamp,
      });
      ended.add(run.runId);
    }
    run = new AgUiRun(runId);
    out.push({ type: EventType.RUN_STARTED, threadId: event.sessionId, runId, ...stamp });
    out.push(...outside.map(custom));
    outside = [];
    return out;
  }

  function endRun(current: AgUiRun, event: AgentEvent<'run.finished' | 'run.failed'>) {
    const stamp = stampOf(event);
    const out = current.closeAll(stamp);
    ended.add(current.runId);
    run = undefined;
    if (event.type === 'run.failed') {
      const { error } = event.data;
      out.push({
        type: EventType.RUN_ERROR,
        message: error.message,
        ...(error.code ? { code: error.code } : {}),
        ...stamp,
      });
      return out;
    }
    const usage = toAgUiUsage(event.data.usage);
    out.push({
      type: EventType.RUN_FINISHED,
      threadId: event.sessionId,
      runId: current.runId,
      outcome: outcomeOf(event.data),
      ...(usage ? { usage: [usage] } : {}),
      ...stamp,
    });
    return out;
  }

  function push(event: AnyEvent): AgUiEvent[] {
    last = stampOf(event);
    const topLevelRun =
      event.runId !== undefined && event.parentRunId === undefined ? event.runId : undefined;
    if (event.type === 'run.started' && topLevelRun !== undefined)
      return startRun(event, topLevelRun);
    if (run && event.runId === run.runId && isKnownEvent(event)) return inRun(run, event);
    if (run) return [custom(event)]; // session events, sub-agent runs, newer event types
    if (topLevelRun !== undefined && !ended.has(topLevelRun)) {
      // A stream that starts in the middle of a run (resumed from a seq): open it here.
      const out = startRun(event, topLevelRun);
      return [...out, ...push(event)];
    }
    outside.push(event);
    return [];
  }

  function inRun(current: AgUiRun, event: AgentEvent): AgUiEvent[] {
    if (isVoiceEvent(event)) return [custom(event)]; // AG-UI has no audio events
    const stamp = stampOf(event);
    switch (event.type) {
      case 'run.finished':
      case 'run.failed':
        return endRun(current, event);
      case 'step.started':
        current.steps.add(event.data.stepIndex);
        return [
          { type: EventType.STEP_STARTED, stepName: stepName(event.data.stepIndex), ...stamp },
        ];
      case 'step.finished':
        // A resumed run finishes the paused step without having started it here.
        if (!current.steps.delete(event.data.stepIndex)) return [custom(event)];
        return [
          { type: EventType.STEP_FINISHED, stepName: stepName(event.data.stepIndex), ...stamp },
        ];
      case 'user.message': {
        const { messageId } = event.data;
        const text = event.data.parts
          .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
          .join('');
        const out: AgUiEvent[] = [
          { type: EventType.TEXT_MESSAGE_START, messageId, role: 'user', ...stamp },
        ];
        if (text)
          out.push({ type: EventType.TEXT_MESSAGE_CONTENT, messageId, delta: text, ...stamp });
        out.push({ type: EventType.TEXT_MESSAGE_END, messageId, ...stamp });
        return out;
      }
      case 'message.started':
        current.messages.add(event.data.messageId);
        return [
          {
            type: EventType.TEXT_MESSAGE_START,
            messageId: event.data.messageId,
            role: 'assistant',
            ...stamp,
          },
        ];
      case 'message.delta': {
        const { messageId, delta } = event.data;
        // Its start was before this stream began: open it, so the rest of the text is shown.
        const out: AgUiEvent[] = [];
        if (!current.messages.has(messageId)) {
          current.messages.add(messageId);
          out.push({ type: EventType.TEXT_MESSAGE_START, messageId, role: 'assistant', ...stamp });
        }
        out.push({ type: EventType.TEXT_MESSAGE_CONTENT, messageId, delta, ...stamp });
        return out;
      }
      case 'message.completed': {
        const { messageId, status } = event.data;
        if (!current.messages.delete(messageId)) return [custom(event)];
        return [
          // A cut-short message: AG-UI has no status for it, the original says which.
          ...(status && status !== 'completed' ? [custom(event)] : []),
          { type: EventType.TEXT_MESSAGE_END, messageId, ...stamp },
        ];
      }
      case 'reasoning.started':
        return openReasoning(current, event.data.reasoningId, stamp);
      case 'reasoning.delta': {
        const messageId = event.data.reasoningId;
        const out = current.reasoning.has(messageId)
          ? []
          : openReasoning(current, messageId, stamp);
        out.push({
          type: EventType.REASONING_MESSAGE_CONTENT,
          messageId,
          delta: event.data.delta,
          ...stamp,
        });
        return out;
      }
      case 'reasoning.completed': {
        const messageId = event.data.reasoningId;
        if (!current.reasoning.delete(messageId)) return [custom(event)];
        return [
          { type: EventType.REASONING_MESSAGE_END, messageId, ...stamp },
          { type: EventType.REASONING_END, messageId, ...stamp },
        ];
      }
      case 'tool_call.started': {
        const { toolCallId, toolName, parentMessageId } = event.data;
        current.toolCalls.add(toolCallId);
        return [
          {
            type: EventType.TOOL_CALL_START,
            toolCallId,
            toolCallName: toolName,
            ...(parentMessageId ? { parentMessageId } : {}),
            ...stamp,
          },
        ];
      }
      case 'tool_call.args_delta': {
        const { toolCallId, delta } = event.data;
        // Started before this stream began: AG-UI cannot start it without its name.
        if (!current.toolCalls.has(toolCallId)) return [custom(event)];
        current.argsStreamed.add(toolCallId);
        return [{ type: EventType.TOOL_CALL_ARGS, toolCallId, delta, ...stamp }];
      }
      case 'tool_call.ready': {
        const { toolCallId } = event.data;
        if (!current.toolCalls.delete(toolCallId)) return [custom(event)];
        const out: AgUiEvent[] = [];
        // Arguments that did not stream (a provider that sends them whole) go out in one piece.
        if (!current.argsStreamed.delete(toolCallId)) {
          const delta = JSON.stringify(event.data.input ?? {});
          out.push({ type: EventType.TOOL_CALL_ARGS, toolCallId, delta, ...stamp });
        }
        out.push({ type: EventType.TOOL_CALL_END, toolCallId, ...stamp });
        return out;
      }
      case 'tool_call.completed':
        return completeToolCall(current, event);
      case 'tool_call.progress':
        return [
          {
            type: EventType.ACTIVITY_SNAPSHOT,
            messageId: `progress:${event.data.toolCallId}`,
            activityType: 'TOOL_PROGRESS',
            content: event.data,
            ...stamp,
          },
        ];
      case 'plan.updated':
        return [
          {
            type: EventType.ACTIVITY_SNAPSHOT,
            messageId: event.data.planId,
            activityType: 'PLAN',
            content: { entries: event.data.entries },
            ...stamp,
          },
        ];
      case 'run.started': // a top-level run.started never gets here: it opens a run
      case 'session.started':
      case 'session.ended':
      case 'session.title_updated':
      case 'generation.started':
      case 'generation.retrying':
      case 'generation.finished':
      case 'tool_call.running':
      case 'tool_call.approval_requested':
      case 'tool_call.approval_resolved':
      case 'clarify.requested':
      case 'clarify.resolved':
      case 'steer.accepted':
      case 'steer.applied':
      case 'usage.updated':
      case 'context.compacted':
      case 'agent.handoff':
      case 'loop.budget_exhausted':
      case 'loop.stuck':
      case 'feedback.injected':
      case 'skill.activated':
      case 'skill.deactivated':
      case 'notice':
      case 'custom':
        return [custom(event)];
    }
  }

  function openReasoning(current: AgUiRun, messageId: string, stamp: AgUiStamp): AgUiEvent[] {
    current.reasoning.add(messageId);
    return [
      { type: EventType.REASONING_START, messageId, ...stamp },
      { type: EventType.REASONING_MESSAGE_START, messageId, role: 'reasoning', ...stamp },
    ];
  }

  function completeToolCall(
    current: AgUiRun,
    event: AgentEvent<'tool_call.completed'>,
  ): AgUiEvent[] {
    const { data } = event;
    const stamp = stampOf(event);
    // Cut off while its arguments streamed (a cancelled step): close it before its result.
    const out: AgUiEvent[] = [];
    if (current.toolCalls.delete(data.toolCallId))
      out.push({ type: EventType.TOOL_CALL_END, toolCallId: data.toolCallId, ...stamp });
    current.argsStreamed.delete(data.toolCallId);
    out.push({
      type: EventType.TOOL_CALL_RESULT,
      messageId: `${data.toolCallId}:result`,
      toolCallId: data.toolCallId,
      content:
        data.status === 'completed' ? stringify(data.output) : (data.error?.message ?? data.status),
      role: 'tool',
      timestamp: event.ts,
      metadata: {
        [AG_UI_NAMESPACE]: {
          ...stamp.metadata[AG_UI_NAMESPACE],
          status: data.status,
          ...(data.error ? { error: data.error } : {}),
          ...(data.durationMs === undefined ? {} : { durationMs: data.durationMs }),
        },
      },
    });
    return out;
  }

  return {
    push,
    end() {
      // A stream cut mid-run (e.g. a dropped connection): close what is open, without a RUN_FINISHED.
      if (!run || !last) return [];
      const out = run.closeAll(last);
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

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value ?? null);
}
