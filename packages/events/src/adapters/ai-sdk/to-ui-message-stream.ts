import type { UIMessageChunk } from 'ai';
import type { AnyEvent } from '../../schema/agent-event.js';

/** Prefix of the `data-*` parts this adapter emits for events the AI SDK has no chunk for. */
export const UI_DATA_PREFIX = 'data-switchboard-';

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

/** Events of no interest to message history: sent as transient data parts (reach `onData` only). */
const PERSISTENT_DATA = new Set(['plan.updated', 'context.compacted', 'agent.handoff']);

const FINISH_REASONS: Record<
  string,
  'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other'
> = {
  completed: 'stop',
  max_tokens: 'length',
  refusal: 'content-filter',
  awaiting_input: 'tool-calls',
  max_steps: 'other',
  stuck: 'other',
};

/**
 * Maps the contract onto the AI SDK (v6) UI message stream: one run becomes
 * one assistant UIMessage (`start` … `finish`), steps become `start-step` /
 * `finish-step`, text, reasoning and tool calls become their parts, and every
 * other event becomes a `data-switchboard-<type>` part (transient unless it
 * belongs in history: plans, compactions, handoffs). Only chunk types that
 * `ai@6` knows are emitted; its clients reject unknown types.
 */
export function createUiMessageStreamAdapter(): UiMessageStreamAdapter {
  let runId: string | undefined;
  let outside: AnyEvent[] = [];
  const toolNames = new Map<string, string>();
  const inputAvailable = new Set<string>();
  const openText = new Set<string>();
  const openReasoning = new Set<string>();

  const dataPart = (event: AnyEvent): UIMessageChunk => {
    const name = event.type.replace(/\./g, '-');
    const transient = !PERSISTENT_DATA.has(event.type);
    const id =
      event.type === 'plan.updated'
        ? String((event.data as { planId: string }).planId)
        : `${event.sessionId}:${event.seq}`;
    return {
      type: `${UI_DATA_PREFIX}${name}`,
      id,
      data: event,
      ...(transient ? { transient: true } : {}),
    };
  };

  function closeOpen(): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    for (const id of openText) out.push({ type: 'text-end', id });
    for (const id of openReasoning) out.push({ type: 'reasoning-end', id });
    openText.clear();
    openReasoning.clear();
    return out;
  }

  function push(event: AnyEvent): UIMessageChunk[] {
    const data = (event.data ?? {}) as Record<string, unknown>;
    if (
      event.type === 'run.started' &&
      event.parentRunId === undefined &&
      event.runId !== undefined
    ) {
      runId = event.runId;
      const out: UIMessageChunk[] = [
        {
          type: 'start',
          messageId: event.runId,
          messageMetadata: { runId: event.runId, sessionId: event.sessionId },
        },
      ];
      out.push(...outside.map(dataPart), dataPart(event));
      outside = [];
      return out;
    }
    if (runId === undefined) {
      outside.push(event);
      return [];
    }
    if (event.runId !== runId) return [dataPart(event)]; // session events, sub-agent runs
    switch (event.type) {
      case 'step.started':
        return [{ type: 'start-step' }];
      case 'step.finished':
        return [...closeOpen(), { type: 'finish-step' }];
      case 'message.started':
        openText.add(data.messageId as string);
        return [{ type: 'text-start', id: data.messageId as string }];
      case 'message.delta':
        if (!openText.has(data.messageId as string)) return [dataPart(event)];
        return [{ type: 'text-delta', id: data.messageId as string, delta: data.delta as string }];
      case 'message.completed':
        if (!openText.delete(data.messageId as string)) return [];
        return [{ type: 'text-end', id: data.messageId as string }];
      case 'reasoning.started':
        openReasoning.add(data.reasoningId as string);
        return [{ type: 'reasoning-start', id: data.reasoningId as string }];
      case 'reasoning.delta':
        if (!openReasoning.has(data.reasoningId as string)) return [dataPart(event)];
        return [
          { type: 'reasoning-delta', id: data.reasoningId as string, delta: data.delta as string },
        ];
      case 'reasoning.completed':
        if (!openReasoning.delete(data.reasoningId as string)) return [];
        return [{ type: 'reasoning-end', id: data.reasoningId as string }];
      case 'tool_call.started':
        toolNames.set(data.toolCallId as string, data.toolName as string);
        return [
          {
            type: 'tool-input-start',
            toolCallId: data.toolCallId as string,
            toolName: data.toolName as string,
            dynamic: true,
          },
        ];
      case 'tool_call.args_delta':
        return [
          {
            type: 'tool-input-delta',
            toolCallId: data.toolCallId as string,
            inputTextDelta: data.delta as string,
          },
        ];
      case 'tool_call.ready': {
        const toolCallId = data.toolCallId as string;
        const toolName = toolNames.get(toolCallId) ?? 'unknown';
        const inputError = data.inputError as { message?: string } | undefined;
        inputAvailable.add(toolCallId);
        return inputError
          ? [
              {
                type: 'tool-input-error',
                toolCallId,
                toolName,
                input: data.input,
                errorText: inputError.message ?? 'Invalid input',
                dynamic: true,
              },
            ]
          : [
              {
                type: 'tool-input-available',
                toolCallId,
                toolName,
                input: data.input,
                dynamic: true,
              },
            ];
      }
      case 'tool_call.approval_requested':
        return [
          {
            type: 'tool-approval-request',
            approvalId: data.approvalId as string,
            toolCallId: data.toolCallId as string,
          },
        ];
      case 'tool_call.completed': {
        const toolCallId = data.toolCallId as string;
        const error = data.error as { message?: string } | undefined;
        if (!inputAvailable.has(toolCallId)) {
          // Cut off while its arguments were still streaming: the AI SDK can only mark the input as failed.
          inputAvailable.add(toolCallId);
          return [
            {
              type: 'tool-input-error',
              toolCallId,
              toolName: toolNames.get(toolCallId) ?? 'unknown',
              input: undefined,
              errorText: error?.message ?? String(data.status),
              dynamic: true,
            },
          ];
        }
        if (data.status === 'completed')
          return [
            {
              type: 'tool-output-available',
              toolCallId,
              output: data.output ?? null,
              dynamic: true,
            },
          ];
        if (data.status === 'denied') return [{ type: 'tool-output-denied', toolCallId }];
        return [
          {
            type: 'tool-output-error',
            toolCallId,
            errorText: error?.message ?? String(data.status),
            dynamic: true,
          },
        ];
      }
      case 'run.finished': {
        runId = undefined;
        const stopReason = data.stopReason as string;
        const close = closeOpen();
        if (stopReason === 'cancelled' || stopReason === 'interrupted')
          return [...close, { type: 'abort', reason: stopReason }];
        return [
          ...close,
          {
            type: 'finish',
            finishReason: FINISH_REASONS[stopReason] ?? 'other',
            messageMetadata: {
              runId: event.runId,
              sessionId: event.sessionId,
              stopReason,
              ...(data.usage ? { usage: data.usage } : {}),
            },
          },
        ];
      }
      case 'run.failed': {
        runId = undefined;
        const error = (data.error ?? {}) as { message?: string };
        return [...closeOpen(), { type: 'error', errorText: error.message ?? 'Run failed' }];
      }
      default:
        return [dataPart(event)];
    }
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
