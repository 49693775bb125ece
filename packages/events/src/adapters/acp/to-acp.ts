import type {
  ContentBlock,
  PermissionOption,
  RequestPermissionRequest,
  SessionNotification,
  StopReason as AcpStopReason,
  ToolCallContent,
  ToolKind,
} from '@agentclientprotocol/sdk';
import type { AnyEvent } from '../../schema/agent-event.js';
import { isVoiceEvent } from '../../schema/is-voice-event.js';
import { isKnownEvent } from '../../schema/parse-event.js';
import { toolKindSchema } from '../../schema/tool-events.js';

/** The `_meta` key Switchboard extras travel under (ACP allows any key there). */
export const ACP_META_KEY = 'switchboard';
/** Custom notification carrying an event ACP has no update for (`_`-prefixed, as ACP requires). */
export const ACP_EVENT_METHOD = '_switchboard/event';

/** One thing to send to an ACP client, in order. */
export type AcpMessage =
  /** A `session/update` notification. */
  | { type: 'session/update'; params: SessionNotification }
  /** A `session/request_permission` request; its outcome answers the approval. */
  | { type: 'session/request_permission'; params: RequestPermissionRequest }
  /** The `session/prompt` response that ends the prompt turn. */
  | { type: 'prompt/response'; runId: string; response: { stopReason: AcpStopReason } }
  /** The `session/prompt` turn failed: answer it with this JSON-RPC error. */
  | {
      type: 'prompt/error';
      runId: string;
      error: { code: number; message: string; data: { code?: string; retryable?: boolean } };
    }
  /** An event with no ACP counterpart, as the `_switchboard/event` notification. */
  | { type: typeof ACP_EVENT_METHOD; params: { sessionId: string; event: AnyEvent } };

/** Options of {@link createAcpAdapter}. */
export interface AcpAdapterOptions {
  /**
   * Send events ACP has no update for (loop diagnostics, notices, usage
   * details…) as `_switchboard/event` notifications. Clients that do not
   * know the method ignore it. @default true
   */
  extensions?: boolean;
}

/** A stateful converter from Switchboard events to ACP v1 agent→client messages. */
export interface AcpAdapter {
  push(event: AnyEvent): AcpMessage[];
}

const STOP_REASONS: Record<string, AcpStopReason | undefined> = {
  completed: 'end_turn',
  max_tokens: 'max_tokens',
  max_steps: 'max_turn_requests',
  refusal: 'refusal',
  cancelled: 'cancelled',
  interrupted: 'cancelled',
  stuck: 'end_turn', // ACP has no "stuck"; the reason travels in _meta
  awaiting_input: undefined, // the prompt stays open: the permission request is pending
};

/** JSON-RPC "internal error", the code a failed prompt turn answers with. */
const INTERNAL_ERROR = -32603;

/** The contract's tool kinds are ACP's list; an event from a tolerant reader may still carry another. */
const TOOL_KINDS: ReadonlySet<string> = new Set<ToolKind>(toolKindSchema.options);

const isToolKind = (kind: string | undefined): kind is ToolKind =>
  kind !== undefined && TOOL_KINDS.has(kind);

/**
 * The title and kind a tool event brings (contract 1.1: the definition's
 * title once the input is known), as fields of a `tool_call_update`.
 */
const presentation = (data: { title?: string | undefined; kind?: string | undefined }) => ({
  ...(data.title === undefined ? {} : { title: data.title }),
  ...(isToolKind(data.kind) ? { kind: data.kind } : {}),
});

/**
 * Maps the contract onto the Agent Client Protocol (v1, agent side): message
 * and reasoning deltas become `agent_message_chunk` / `agent_thought_chunk`,
 * user messages `user_message_chunk`s, the tool-call lifecycle `tool_call`
 * and `tool_call_update`s (argument deltas are not sent; ACP has no place for
 * them), approvals `session/request_permission` requests, plans `plan`,
 * context usage `usage_update`, session titles `session_info_update`, and the run's end the `session/prompt`
 * response (`end_turn`, `max_tokens`, `max_turn_requests`, `refusal`,
 * `cancelled`) or a JSON-RPC error. ACP has no run, step or sub-run
 * lifecycle and no timestamps: those travel in `_meta.switchboard` and, for
 * events with no ACP update, in `_switchboard/event` notifications.
 */
export function createAcpAdapter(options: AcpAdapterOptions = {}): AcpAdapter {
  const extensions = options.extensions ?? true;
  /** Progress content per call: ACP collections replace, so each update resends the list. */
  const progress = new Map<string, ToolCallContent[]>();

  const meta = (event: AnyEvent, extra: Record<string, unknown> = {}) => ({
    [ACP_META_KEY]: {
      seq: event.seq,
      ts: event.ts,
      ...(event.runId ? { runId: event.runId } : {}),
      ...(event.parentRunId ? { parentRunId: event.parentRunId } : {}),
      ...extra,
    },
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
  });
  const update = (event: AnyEvent, body: SessionNotification['update']): AcpMessage => ({
    type: 'session/update',
    params: { sessionId: event.sessionId, update: body, _meta: meta(event) },
  });
  const titleUpdate = (event: AnyEvent, title: string, source: string | undefined): AcpMessage =>
    update(event, {
      sessionUpdate: 'session_info_update',
      title,
      updatedAt: new Date(event.ts).toISOString(),
      ...(source === undefined ? {} : { _meta: { [ACP_META_KEY]: { titleSource: source } } }),
    });
  const extension = (event: AnyEvent): AcpMessage[] =>
    extensions ? [{ type: ACP_EVENT_METHOD, params: { sessionId: event.sessionId, event } }] : [];

  return {
    push(event) {
      // Newer types, and voice events (ACP has no audio updates): the extension notification.
      if (!isKnownEvent(event) || isVoiceEvent(event)) return extension(event);
      switch (event.type) {
        case 'message.delta':
          return [
            update(event, {
              sessionUpdate: 'agent_message_chunk',
              messageId: event.data.messageId,
              content: { type: 'text', text: event.data.delta },
            }),
          ];
        case 'reasoning.delta':
          return [
            update(event, {
              sessionUpdate: 'agent_thought_chunk',
              messageId: event.data.reasoningId,
              content: { type: 'text', text: event.data.delta },
            }),
          ];
        case 'user.message':
          return event.data.parts.flatMap((part) => {
            const content = toContentBlock(part);
            return content
              ? [
                  update(event, {
                    sessionUpdate: 'user_message_chunk',
                    messageId: event.data.messageId,
                    content,
                  }),
                ]
              : [];
          });
        case 'tool_call.started': {
          const kind = event.data.kind;
          return [
            update(event, {
              sessionUpdate: 'tool_call',
              toolCallId: event.data.toolCallId,
              title: event.data.title ?? event.data.toolName,
              kind: isToolKind(kind) ? kind : 'other',
              status: 'pending',
              _meta: { [ACP_META_KEY]: { toolName: event.data.toolName } },
            }),
          ];
        }
        case 'tool_call.ready':
          return [
            update(event, {
              sessionUpdate: 'tool_call_update',
              toolCallId: event.data.toolCallId,
              ...presentation(event.data),
              rawInput: event.data.input,
            }),
          ];
        case 'tool_call.running':
          return [
            update(event, {
              sessionUpdate: 'tool_call_update',
              toolCallId: event.data.toolCallId,
              ...presentation(event.data),
              status: 'in_progress',
            }),
          ];
        case 'tool_call.progress': {
          const blocks = [
            ...(event.data.content ?? []).flatMap((part) => {
              const block = toContentBlock(part);
              return block ? [block] : [];
            }),
            ...(event.data.message ? [{ type: 'text' as const, text: event.data.message }] : []),
          ];
          if (blocks.length === 0) return [];
          const list = [
            ...(progress.get(event.data.toolCallId) ?? []),
            ...blocks.map((content): ToolCallContent => ({ type: 'content', content })),
          ];
          progress.set(event.data.toolCallId, list);
          return [
            update(event, {
              sessionUpdate: 'tool_call_update',
              toolCallId: event.data.toolCallId,
              content: list,
            }),
          ];
        }
        case 'tool_call.completed': {
          const { data } = event;
          progress.delete(data.toolCallId);
          const content: ToolCallContent[] = [
            ...(data.content ?? []).flatMap((part) => {
              const block = toContentBlock(part);
              return block ? [{ type: 'content' as const, content: block }] : [];
            }),
            ...(data.error
              ? [
                  {
                    type: 'content' as const,
                    content: { type: 'text' as const, text: data.error.message },
                  },
                ]
              : []),
          ];
          return [
            update(event, {
              sessionUpdate: 'tool_call_update',
              toolCallId: data.toolCallId,
              // ACP v1 knows completed and failed; denied and cancelled are failed plus _meta.
              status: data.status === 'completed' ? 'completed' : 'failed',
              ...(data.output === undefined ? {} : { rawOutput: data.output }),
              ...(content.length > 0 ? { content } : {}),
              _meta: {
                [ACP_META_KEY]: {
                  status: data.status,
                  ...(data.durationMs === undefined ? {} : { durationMs: data.durationMs }),
                  ...(data.error?.code ? { errorCode: data.error.code } : {}),
                },
              },
            }),
          ];
        }
        case 'tool_call.approval_requested': {
          const { data } = event;
          const options: PermissionOption[] = (
            data.options ?? [
              { optionId: 'allow', label: 'Allow', kind: 'allow_once' as const },
              { optionId: 'deny', label: 'Deny', kind: 'reject_once' as const },
            ]
          ).map((option) => ({ optionId: option.optionId, name: option.label, kind: option.kind }));
          return [
            {
              type: 'session/request_permission',
              params: {
                sessionId: event.sessionId,
                toolCall: {
                  toolCallId: data.toolCallId,
                  ...presentation({ ...data, title: data.title ?? data.toolName }),
                  ...(data.input === undefined ? {} : { rawInput: data.input }),
                },
                options,
                _meta: meta(event, {
                  approvalId: data.approvalId,
                  ...(data.reason ? { reason: data.reason } : {}),
                }),
              },
            },
          ];
        }
        case 'plan.updated':
          return [
            update(event, {
              sessionUpdate: 'plan',
              entries: event.data.entries.map((entry) => ({
                content: entry.content,
                priority: entry.priority ?? 'medium',
                // ACP has no "skipped": it is done with, so completed (the original in _meta).
                status: entry.status === 'skipped' ? 'completed' : entry.status,
                ...(entry.entryId || entry.status === 'skipped'
                  ? {
                      _meta: {
                        [ACP_META_KEY]: {
                          ...(entry.entryId ? { entryId: entry.entryId } : {}),
                          ...(entry.status === 'skipped' ? { status: 'skipped' } : {}),
                        },
                      },
                    }
                  : {}),
              })),
            }),
          ];
        case 'usage.updated': {
          const { contextTokens, contextWindow, scope } = event.data;
          // ACP's cost is the session's: a run's running cost (the live meter) is not it.
          const cost = scope === 'session' ? event.data.cost : undefined;
          const usage =
            contextTokens !== undefined && contextWindow !== undefined
              ? [
                  update(event, {
                    sessionUpdate: 'usage_update',
                    used: contextTokens,
                    size: contextWindow,
                    ...(cost ? { cost: { amount: cost.amount, currency: cost.currency } } : {}),
                  }),
                ]
              : [];
          return [...usage, ...extension(event)];
        }
        case 'session.title_updated':
          return [titleUpdate(event, event.data.title, event.data.source)];
        case 'session.started':
          // A restored session announces its title: the client's session list shows it.
          return event.data.title === undefined
            ? extension(event)
            : [titleUpdate(event, event.data.title, event.data.titleSource), ...extension(event)];
        case 'run.finished': {
          const stopReason = STOP_REASONS[event.data.stopReason];
          if (!stopReason || !event.runId || event.parentRunId) return [];
          return [{ type: 'prompt/response', runId: event.runId, response: { stopReason } }];
        }
        case 'run.failed':
          if (!event.runId || event.parentRunId) return [];
          return [
            {
              type: 'prompt/error',
              runId: event.runId,
              error: {
                code: INTERNAL_ERROR,
                message: event.data.error.message,
                data: {
                  ...(event.data.error.code ? { code: event.data.error.code } : {}),
                  ...(event.data.error.retryable === undefined
                    ? {}
                    : { retryable: event.data.error.retryable }),
                },
              },
            },
          ];
        // Already carried by the updates above, or internal to the stream.
        case 'message.started':
        case 'message.completed':
        case 'reasoning.started':
        case 'reasoning.completed':
        case 'tool_call.args_delta':
        case 'tool_call.approval_resolved':
          return [];
        // No ACP counterpart: the extension notification (ACP clients ignore unknown `_` methods).
        case 'session.ended':
        case 'run.started':
        case 'step.started':
        case 'step.finished':
        case 'generation.started':
        case 'generation.retrying':
        case 'generation.finished':
        case 'clarify.requested':
        case 'clarify.resolved':
        case 'steer.accepted':
        case 'steer.applied':
        case 'context.compacted':
        case 'agent.handoff':
        case 'loop.budget_exhausted':
        case 'loop.stuck':
        case 'feedback.injected':
        case 'skill.activated':
        case 'skill.deactivated':
        case 'notice':
        case 'custom':
          return extension(event);
      }
    },
  };
}

/** All messages of a finished stream, in order. */
export function toAcpMessages(
  events: Iterable<AnyEvent>,
  options?: AcpAdapterOptions,
): AcpMessage[] {
  const adapter = createAcpAdapter(options);
  const out: AcpMessage[] = [];
  for (const event of events) out.push(...adapter.push(event));
  return out;
}

/** A contract content part as an ACP content block, when ACP has one for it. */
function toContentBlock(
  part: { type: string } & Record<string, unknown>,
): ContentBlock | undefined {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  switch (part.type) {
    case 'text':
      return text(part.text) === undefined ? undefined : { type: 'text', text: text(part.text)! };
    case 'image':
    case 'audio': {
      const data = text(part.data);
      const mimeType = text(part.mediaType);
      if (data === undefined || mimeType === undefined) {
        const url = text(part.url);
        return url
          ? { type: 'resource_link', uri: url, name: url, ...(mimeType ? { mimeType } : {}) }
          : undefined;
      }
      return part.type === 'image'
        ? { type: 'image', data, mimeType, ...(text(part.url) ? { uri: text(part.url)! } : {}) }
        : { type: 'audio', data, mimeType };
    }
    case 'file':
    case 'resource_link': {
      const uri = text(part.uri) ?? text(part.url);
      if (!uri) return undefined;
      const name = text(part.name) ?? text(part.filename) ?? uri;
      const mimeType = text(part.mediaType);
      return { type: 'resource_link', uri, name, ...(mimeType ? { mimeType } : {}) };
    }
    default:
      return undefined;
  }
}
