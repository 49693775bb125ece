import type { UIMessageChunk } from 'ai';
import type { AgentEvent, AnyEvent } from '../../schema/agent-event.js';
import { isVoiceEvent } from '../../schema/is-voice-event.js';
import { isKnownEvent } from '../../schema/parse-event.js';
import type { StopReason } from '../../schema/run-events.js';
import { UI_DATA_PREFIX, dataPart } from './ui-data-part.js';
import { UiToolCalls } from './ui-tool-calls.js';

export { UI_DATA_PREFIX };

/**
 * Response headers of an AI SDK UI message stream (the same values `ai`
 * exports as UI_MESSAGE_STREAM_HEADERS; repeated so this adapter needs `ai`
 * for types only).
 */
export const UI_MESSAGE_STREAM_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no', // disable proxy buffering
} as const;

/** A stateful converter from Switchboard events to AI SDK UI message chunks. */
export interface UiMessageStreamAdapter {
  push(event: AnyEvent): UIMessageChunk[];
  /** Closes open text/reasoning parts of a stream cut mid-run. */
  end(): UIMessageChunk[];
}

type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

/** The AI SDK finish reason of each stop (cancelled and interrupted runs abort instead). */
const FINISH_REASONS: Record<StopReason, FinishReason> = {
  completed: 'stop',
  max_tokens: 'length',
  refusal: 'content-filter',
  awaiting_input: 'tool-calls',
  max_steps: 'other',
  stuck: 'other',
  cancelled: 'other',
  interrupted: 'other',
};

/** The assistant message being streamed: the run it comes from and its UI message id. */
interface OpenMessage {
  runId: string;
  messageId: string;
}

/**
 * Maps the contract onto the AI SDK (v6) UI message stream: one run becomes
 * one assistant UIMessage (`start` … `finish`), steps become `start-step` /
 * `finish-step`, text, reasoning and tool calls become their parts, and every
 * other event becomes a `data-switchboard-<type>` part (transient unless it
 * belongs in history: plans, compactions, handoffs, approval decisions, a
 * run's failure).
 * Only chunk types that `ai@6` knows are emitted; its clients reject unknown
 * types.
 *
 * A run paused for approval and the run that resumes it are one message, as
 * in the AI SDK's own approval flow: the resume run's `start` carries the
 * paused run's message id, so a reader continues that message (useChat, which
 * holds it, or one reader of the whole stream). When this adapter saw the
 * paused run, the resume run also states each paused call again (input and
 * approval request) before its outcome, so the resume run's chunks rebuild
 * the tool part on their own too. To get that for a stream that starts at a
 * resume run, push the paused run's events first and drop their chunks.
 *
 * A stream that starts mid-run (resumed from a `seq`) opens the run's
 * message with a `start` of its own and opens text and reasoning parts whose
 * start it missed.
 */
export function createUiMessageStreamAdapter(): UiMessageStreamAdapter {
  let message: OpenMessage | undefined;
  /** Events before the first run: delivered as data parts in the next message. */
  let outside: AnyEvent[] = [];
  /** Message ids of runs paused for input, until the run that resumes them starts. */
  const paused = new Map<string, string>();
  /** Runs that ended in this stream: their late events are not a mid-stream start. */
  const ended = new Set<string>();
  const calls = new UiToolCalls();
  const openText = new Set<string>();
  const openReasoning = new Set<string>();

  function closeOpen(): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    for (const id of openText) out.push({ type: 'text-end', id });
    for (const id of openReasoning) out.push({ type: 'reasoning-end', id });
    openText.clear();
    openReasoning.clear();
    return out;
  }

  function startMessage(event: AnyEvent, runId: string, resumeOf?: string): UIMessageChunk[] {
    // A run that never reported its end (a crash) is aborted, so its parts are not left streaming.
    const out: UIMessageChunk[] = message ? [...closeOpen(), { type: 'abort' }] : [];
    if (message) ended.add(message.runId);
    const messageId = resumeOf === undefined ? runId : (paused.get(resumeOf) ?? resumeOf);
    if (resumeOf !== undefined) paused.delete(resumeOf);
    message = { runId, messageId };
    calls.beginMessage();
    out.push({ type: 'start', messageId, messageMetadata: { runId, sessionId: event.sessionId } });
    out.push(...outside.map((early) => dataPart(early)));
    outside = [];
    return out;
  }

  function push(event: AnyEvent): UIMessageChunk[] {
    const topLevelRun =
      event.runId !== undefined && event.parentRunId === undefined ? event.runId : undefined;
    if (isKnownEvent(event) && event.type === 'run.started' && topLevelRun !== undefined) {
      return [...startMessage(event, topLevelRun, event.data.resumeOfRunId), dataPart(event)];
    }
    if (message && event.runId === message.runId && isKnownEvent(event))
      return inRun(message, event);
    if (message) return [dataPart(event)]; // session events, sub-agent runs, newer event types
    if (topLevelRun !== undefined && !ended.has(topLevelRun)) {
      // A stream that starts in the middle of a run (resumed from a seq): open its message here.
      return [...startMessage(event, topLevelRun), ...push(event)];
    }
    outside.push(event);
    return [];
  }

  function inRun(current: OpenMessage, event: AgentEvent): UIMessageChunk[] {
    if (isVoiceEvent(event)) return [dataPart(event)]; // UI messages have no audio parts
    switch (event.type) {
      case 'run.finished':
        return finish(current, event);
      case 'run.failed':
        message = undefined;
        ended.add(current.runId);
        return [
          ...closeOpen(),
          dataPart(event),
          { type: 'error', errorText: event.data.error.message },
        ];
      case 'step.started':
        return [{ type: 'start-step' }];
      case 'step.finished':
        return [...closeOpen(), { type: 'finish-step' }];
      case 'message.started':
        return openPart(openText, 'text-start', event.data.messageId);
      case 'message.delta': {
        const { messageId: id, delta } = event.data;
        return [...openPart(openText, 'text-start', id), { type: 'text-delta', id, delta }];
      }
      case 'message.completed':
        return openText.delete(event.data.messageId)
          ? [{ type: 'text-end', id: event.data.messageId }]
          : [];
      case 'reasoning.started':
        return openPart(openReasoning, 'reasoning-start', event.data.reasoningId);
      case 'reasoning.delta': {
        const { reasoningId: id, delta } = event.data;
        return [
          ...openPart(openReasoning, 'reasoning-start', id),
          { type: 'reasoning-delta', id, delta },
        ];
      }
      case 'reasoning.completed':
        return openReasoning.delete(event.data.reasoningId)
          ? [{ type: 'reasoning-end', id: event.data.reasoningId }]
          : [];
      case 'tool_call.started': {
        const { toolCallId, toolName } = event.data;
        calls.started(toolCallId, toolName);
        return [{ type: 'tool-input-start', toolCallId, toolName, dynamic: true }];
      }
      case 'tool_call.args_delta': {
        const { toolCallId, delta } = event.data;
        // Started before this stream began: the AI SDK has no tool part to add it to.
        if (!calls.inputStreaming(toolCallId)) return [dataPart(event)];
        return [{ type: 'tool-input-delta', toolCallId, inputTextDelta: delta }];
      }
      case 'tool_call.ready': {
        const { toolCallId, input, inputError } = event.data;
        const toolName = calls.ready(toolCallId, input, event.data.toolName);
        if (!inputError)
          return [{ type: 'tool-input-available', toolCallId, toolName, input, dynamic: true }];
        return [
          {
            type: 'tool-input-error',
            toolCallId,
            toolName,
            input,
            errorText: inputError.message,
            dynamic: true,
          },
        ];
      }
      case 'tool_call.approval_requested': {
        const { toolCallId, approvalId, toolName, input } = event.data;
        return [
          ...calls.approvalRequested(toolCallId, approvalId, { toolName, input }),
          { type: 'tool-approval-request', approvalId, toolCallId },
        ];
      }
      case 'tool_call.approval_resolved':
        return [...calls.restate(event.data.toolCallId), dataPart(event, event.data.approvalId)];
      case 'tool_call.running':
        return [...calls.restate(event.data.toolCallId), dataPart(event)];
      case 'tool_call.completed':
        return completeToolCall(event);
      case 'plan.updated':
        return [dataPart(event, event.data.planId)];
      case 'run.started': // a top-level run.started never gets here: it opens a message
      case 'session.started':
      case 'session.ended':
      case 'session.title_updated':
      case 'user.message':
      case 'generation.started':
      case 'generation.retrying':
      case 'generation.finished':
      case 'tool_call.progress':
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
        return [dataPart(event)];
    }
  }

  /** Opens a text or reasoning part unless it is open (its start may predate the stream). */
  function openPart(
    open: Set<string>,
    type: 'text-start' | 'reasoning-start',
    id: string,
  ): UIMessageChunk[] {
    if (open.has(id)) return [];
    open.add(id);
    return [{ type, id }];
  }

  function completeToolCall(event: AgentEvent<'tool_call.completed'>): UIMessageChunk[] {
    const { toolCallId, status, output, error } = event.data;
    const errorText = error?.message ?? status;
    if (calls.inputStreaming(toolCallId)) {
      // Cut off while its arguments were still streaming: the AI SDK can only mark the input as failed.
      const toolName = calls.nameOf(toolCallId) ?? 'unknown';
      calls.forget(toolCallId);
      return [
        {
          type: 'tool-input-error',
          toolCallId,
          toolName,
          input: undefined,
          errorText,
          dynamic: true,
        },
      ];
    }
    const out = calls.restate(toolCallId);
    calls.forget(toolCallId);
    if (status === 'completed')
      out.push({
        type: 'tool-output-available',
        toolCallId,
        output: output ?? null,
        dynamic: true,
      });
    else if (status === 'denied') out.push({ type: 'tool-output-denied', toolCallId });
    else out.push({ type: 'tool-output-error', toolCallId, errorText, dynamic: true });
    return out;
  }

  function finish(current: OpenMessage, event: AgentEvent<'run.finished'>): UIMessageChunk[] {
    const { stopReason, usage } = event.data;
    message = undefined;
    ended.add(current.runId);
    if (stopReason === 'awaiting_input') paused.set(current.runId, current.messageId);
    const close = closeOpen();
    if (stopReason === 'cancelled' || stopReason === 'interrupted')
      return [...close, { type: 'abort', reason: stopReason }];
    return [
      ...close,
      {
        type: 'finish',
        finishReason: FINISH_REASONS[stopReason],
        messageMetadata: {
          runId: current.runId,
          sessionId: event.sessionId,
          stopReason,
          ...(usage ? { usage } : {}),
        },
      },
    ];
  }

  return { push, end: closeOpen };
}

/** Converts a whole event list to UI message chunks. */
export function toUiMessageChunks(events: Iterable<AnyEvent>): UIMessageChunk[] {
  const adapter = createUiMessageStreamAdapter();
  const out: UIMessageChunk[] = [];
  for (const event of events) out.push(...adapter.push(event));
  out.push(...adapter.end());
  return out;
}

/** One UI message stream SSE frame (`data: <json>\n\n`); end the stream with `data: [DONE]\n\n`. */
export function encodeUiMessageChunk(chunk: UIMessageChunk): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}
