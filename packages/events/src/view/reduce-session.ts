import type { AgentEvent, AnyEvent } from '../schema/agent-event.js';
import type { ErrorInfo } from '../schema/shared-schemas.js';
import type { StreamOpenedData } from '../sse/transport-events.js';
import { ItemIndex } from './item-index.js';
import type {
  ApprovalRecord,
  MessageItem,
  ReasoningItem,
  RetryView,
  RunView,
  SessionView,
  ToolCallItem,
  ViewItem,
} from './session-view.js';
import {
  closeOpen,
  endText,
  push,
  scoped,
  streamText,
  update,
  updateNamedTool,
  updateRun,
  upsert,
  close,
  dropRunItems,
  type ItemScope,
  type ToolIdentity,
} from './timeline.js';
import {
  ZERO_USAGE,
  addUsage,
  isRecord,
  numberField,
  stringField,
  toUsage,
  withoutUndefined,
} from './view-helpers.js';
import { applyUsageUpdate, finishMeter } from './usage-meter.js';
import { compactionItem, handoffItem } from './marker-items.js';
import { countTurnUsage, finishTurn, startTurn } from './turn-usage.js';
import { ViewList } from './view-list.js';

/**
 * The transport frame a client hands to the reducer when a stream opens
 * (`connectEventStream`'s `onOpen` data): it carries `headSeq`, which tells the
 * view when it has caught up with what was stored before the stream opened.
 */
export interface StreamOpenedInput {
  readonly type: 'stream.opened';
  readonly data: StreamOpenedData;
}

/** What {@link reduceSession} accepts: any stamped event, or the stream-opened frame. */
export type SessionViewInput = AnyEvent | StreamOpenedInput;

/** The view of a session before any event. Each call returns a fresh state. */
export function initialSessionView(): SessionView {
  return {
    lastSeq: 0,
    caughtUp: false,
    items: ViewList.empty(),
    itemIndex: new ItemIndex(),
    open: [],
    approvals: [],
    clarifications: [],
    runCount: 0,
    turns: ViewList.empty(),
    usage: ZERO_USAGE,
  };
}

/**
 * Applies one event to a session view and returns the new view; `state` is
 * not modified. Per event the work is O(1) amortised (O(log32 n) for the
 * item touched): unchanged parts, including the whole timeline but one path,
 * are shared with `state`, so a 10k-delta stream reduces in linear time.
 *
 * - An event with `seq` at or below `lastSeq`, or of another session, is
 *   ignored (a resumed stream replays what the client already has).
 * - Events of unknown types advance `lastSeq` and change nothing else
 *   (forward compatibility); so do known types this view does not render.
 * - Events are not validated: pass them through `safeParseEvent` first if
 *   they come from an untrusted source. Malformed known events are applied
 *   as far as their fields allow, never thrown on.
 */
export function reduceSession(state: SessionView, event: SessionViewInput): SessionView {
  if (event.type === 'stream.opened' && !('seq' in event)) return opened(state, event.data);
  const stamped = event as AnyEvent;
  if (typeof stamped.seq !== 'number' || stamped.seq <= state.lastSeq) return state;
  if (state.sessionId !== undefined && stamped.sessionId !== state.sessionId) return state;
  const caughtUp = state.caughtUp || (state.headSeq !== undefined && stamped.seq >= state.headSeq);
  const base: SessionView = {
    ...state,
    sessionId: state.sessionId ?? stamped.sessionId,
    lastSeq: stamped.seq,
    caughtUp,
  };
  // Known type names are trusted to carry their payload (validation is the
  // caller's choice, see above); unknown ones fall through the switch.
  return apply(base, stamped as AgentEvent);
}

function opened(state: SessionView, data: StreamOpenedData): SessionView {
  const headSeq = data.headSeq;
  return {
    ...state,
    sessionId: state.sessionId ?? data.sessionId,
    headSeq,
    caughtUp: headSeq === undefined || state.lastSeq >= headSeq,
  };
}

function apply(state: SessionView, event: AgentEvent): SessionView {
  const scope: ItemScope = withoutUndefined({
    runId: event.runId,
    parentRunId: event.parentRunId,
    startedAt: event.ts,
  });
  const at = <T extends ViewItem>(item: T) => scoped(item, scope);
  /** A tool event's call, and how to open it if this view never saw its `tool_call.started`. */
  const named = (identity: ToolIdentity, missedStatus: ToolCallItem['status']) => ({
    identity,
    missedStatus,
    scope,
  });
  switch (event.type) {
    case 'session.started':
      return withoutUndefined({
        ...state,
        title: event.data.title ?? state.title,
        titleSource: event.data.title === undefined ? state.titleSource : event.data.titleSource,
        agent: event.data.agent?.name ?? state.agent,
      });
    case 'session.title_updated':
      return { ...state, title: event.data.title, titleSource: event.data.source };
    case 'session.ended':
      return { ...state, endedReason: event.data.reason };
    case 'voice.agent_state':
      return { ...state, voice: { ...state.voice, agentState: event.data.state } };
    case 'voice.user_state':
      return { ...state, voice: { ...state.voice, userState: event.data.state } };
    case 'run.started':
      if (event.parentRunId !== undefined || event.runId === undefined) return state;
      return {
        ...startTurn(state, event),
        runCount: state.runCount + 1,
        run: withoutUndefined<RunView>({
          runId: event.runId,
          status: 'running',
          trigger: event.data.trigger,
          model: event.data.model,
          resumeOfRunId: event.data.resumeOfRunId,
          handoffFromRunId: stringField(event.data, 'handoffFromRunId'),
          startedAt: event.ts,
          usage: ZERO_USAGE,
        }),
      };
    case 'run.finished':
    case 'run.failed': {
      if (state.run === undefined || event.runId !== state.run.runId) return state;
      const failed = event.type === 'run.failed';
      const closed = closeOpen(state, failed ? 'failed' : event.data.stopReason);
      const run: RunView = withoutUndefined({
        ...state.run,
        status: failed ? 'failed' : 'finished',
        stopReason: failed ? undefined : event.data.stopReason,
        error: failed ? event.data.error : undefined,
        durationMs: event.data.durationMs ?? event.ts - state.run.startedAt,
        usage: event.data.usage
          ? toUsage(event.data.usage, event.data.cost ?? state.run.usage.cost)
          : state.run.usage,
        retry: undefined,
      });
      const next = { ...finishTurn(closed, event), run };
      // A withdrawn run (a voice preemptive generation) leaves nothing in the timeline.
      if (!failed && event.data.withdrawn === true && event.runId !== undefined)
        return dropRunItems(next, event.runId);
      return failed
        ? push(next, at({ kind: 'error', error: event.data.error, startedAt: 0 }))
        : next;
    }
    case 'step.started':
      return updateRun(state, event.runId, (run) => ({ ...run, stepIndex: event.data.stepIndex }));
    case 'generation.started':
      return updateRun(state, event.runId, (run) => withoutUndefined({ ...run, retry: undefined }));
    case 'generation.retrying':
      return applyRetry(state, event);
    case 'generation.finished': {
      const { usage, cost } = event.data;
      const next = { ...state, usage: addUsage(state.usage, usage, cost) };
      const counted = updateRun(countTurnUsage(next, event), event.runId, (run) => ({
        ...run,
        usage: addUsage(run.usage, usage, cost),
      }));
      return finishMeter(counted, event);
    }
    case 'usage.updated':
      return applyUsageUpdate(state, event);
    case 'plan.updated':
      return { ...state, plan: { planId: event.data.planId, entries: event.data.entries } };
    case 'user.message': {
      const text = event.data.parts
        .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
        .join('');
      const message: MessageItem = withoutUndefined({
        kind: 'message',
        id: event.data.messageId,
        role: 'user',
        text,
        status: 'completed',
        parts: event.data.parts,
        source: event.data.source,
        startedAt: 0,
      });
      return upsert(state, at(message), false);
    }
    case 'message.started': {
      const message: MessageItem = {
        kind: 'message',
        id: event.data.messageId,
        role: event.data.role,
        text: '',
        status: 'streaming',
        startedAt: 0,
      };
      return upsert(state, at(message), true);
    }
    case 'message.delta':
      return streamText(
        state,
        { kind: 'message', id: event.data.messageId, delta: event.data.delta },
        scope,
      );
    case 'message.completed':
      return endText(state, { kind: 'message', id: event.data.messageId, data: event.data }, scope);
    case 'reasoning.started': {
      const reasoning: ReasoningItem = {
        kind: 'reasoning',
        id: event.data.reasoningId,
        text: '',
        status: 'streaming',
        startedAt: 0,
      };
      return upsert(state, at(reasoning), true);
    }
    case 'reasoning.delta':
      return streamText(
        state,
        { kind: 'reasoning', id: event.data.reasoningId, delta: event.data.delta },
        scope,
      );
    case 'reasoning.completed':
      return endText(
        state,
        { kind: 'reasoning', id: event.data.reasoningId, data: event.data },
        scope,
      );
    case 'tool_call.started': {
      const call: ToolCallItem = withoutUndefined({
        kind: 'tool_call',
        id: event.data.toolCallId,
        toolName: event.data.toolName,
        title: event.data.title,
        toolKind: event.data.kind,
        status: 'streaming_args',
        argsText: '',
        startedAt: 0,
      });
      return upsert(state, at(call), true);
    }
    case 'tool_call.args_delta':
      return updateNamedTool(state, named(event.data, 'streaming_args'), (call) => ({
        ...call,
        argsText: call.argsText + event.data.delta,
      }));
    case 'tool_call.ready':
      return updateNamedTool(state, named(event.data, 'ready'), (call) =>
        withoutUndefined({
          ...call,
          input: event.data.input,
          error: event.data.inputError,
          status: call.status === 'streaming_args' ? 'ready' : call.status,
        }),
      );
    case 'tool_call.running':
      return updateNamedTool(state, named(event.data, 'running'), (call) => ({
        ...call,
        status: 'running',
      }));
    case 'tool_call.progress':
      return updateNamedTool(state, named(event.data, 'running'), (call) =>
        withoutUndefined({
          ...call,
          progress: withoutUndefined({
            message: event.data.message ?? call.progress?.message,
            current: event.data.progress?.current ?? call.progress?.current,
            total: event.data.progress?.total ?? call.progress?.total,
          }),
          content: event.data.content
            ? [...(call.content ?? []), ...event.data.content]
            : call.content,
        }),
      );
    case 'tool_call.completed': {
      const data = event.data;
      const next = updateNamedTool(state, named(data, 'running'), (call) =>
        withoutUndefined({
          ...call,
          status: data.status,
          output: data.output,
          content: data.content ?? call.content,
          error: data.error,
          durationMs: data.durationMs ?? event.ts - call.startedAt,
          executionDurationMs: data.executionDurationMs,
          truncated: data.truncated === undefined ? undefined : true,
        }),
      );
      return close(next, `tool_call:${data.toolCallId}`);
    }
    case 'tool_call.approval_requested': {
      const data = event.data;
      const pending = withoutUndefined({
        approvalId: data.approvalId,
        toolCallId: data.toolCallId,
        toolName: data.toolName,
        input: data.input,
        reason: data.reason,
        options: data.options,
        expiresAt: data.expiresAt,
        requestedAt: event.ts,
        runId: event.runId,
      });
      const next = {
        ...state,
        approvals: [...state.approvals.filter((a) => a.approvalId !== data.approvalId), pending],
      };
      return updateNamedTool(next, named(data, 'ready'), (call) => ({
        ...call,
        status: 'awaiting_approval',
        approval: { approvalId: data.approvalId, status: 'pending' },
      }));
    }
    case 'tool_call.approval_resolved': {
      const data = event.data;
      const next = {
        ...state,
        approvals: state.approvals.filter((a) => a.approvalId !== data.approvalId),
      };
      return updateNamedTool(next, named(data, 'awaiting_approval'), (call) => ({
        ...call,
        status:
          call.status === 'awaiting_approval' ? (data.approved ? 'ready' : 'denied') : call.status,
        approval: withoutUndefined<ApprovalRecord>({
          approvalId: data.approvalId,
          status: data.approved ? 'approved' : 'denied',
          optionId: data.optionId,
          automatic: data.automatic,
          reason: data.reason,
        }),
      }));
    }
    case 'clarify.requested': {
      const data = event.data;
      const pending = withoutUndefined({
        clarifyId: data.clarifyId,
        question: data.question,
        choices: data.choices,
        allowFreeText: data.allowFreeText,
        fallbackAnswer: data.fallbackAnswer,
        deadline: data.timeoutMs === undefined ? undefined : event.ts + data.timeoutMs,
        toolCallId: data.toolCallId,
        requestedAt: event.ts,
        runId: event.runId,
      });
      const next = {
        ...state,
        clarifications: [
          ...state.clarifications.filter((c) => c.clarifyId !== data.clarifyId),
          pending,
        ],
      };
      const question: ViewItem = withoutUndefined({
        kind: 'clarify',
        id: data.clarifyId,
        question: data.question,
        choices: data.choices,
        status: 'pending',
        startedAt: 0,
      });
      return upsert(next, at(question), false);
    }
    case 'clarify.resolved': {
      const data = event.data;
      const next = {
        ...state,
        clarifications: state.clarifications.filter((c) => c.clarifyId !== data.clarifyId),
      };
      return update(next, `clarify:${data.clarifyId}`, (item) =>
        item.kind === 'clarify'
          ? { ...item, status: 'answered', answer: data.answer, source: data.source }
          : item,
      );
    }
    case 'steer.accepted':
      return upsert(
        state,
        at({ kind: 'steer', id: event.data.steerId, text: event.data.text, startedAt: 0 }),
        false,
      );
    case 'steer.applied':
      return update(state, `steer:${event.data.steerId}`, (item) =>
        item.kind === 'steer' ? { ...item, mode: event.data.mode } : item,
      );
    case 'notice':
      return push(
        state,
        at(
          withoutUndefined({
            kind: 'notice',
            severity: event.data.severity,
            message: event.data.message,
            code: event.data.code,
            startedAt: 0,
          }),
        ),
      );
    case 'context.compacted':
      return upsert(state, at(compactionItem(event)), false);
    case 'agent.handoff':
      return push(state, at(handoffItem(event)));
    // Known, but nothing a surface renders from them yet.
    case 'step.finished':
    case 'loop.budget_exhausted':
    case 'loop.stuck':
    case 'feedback.injected':
    case 'skill.activated':
    case 'skill.deactivated':
    case 'custom':
    case 'voice.transcript':
    case 'voice.speech_created':
    case 'voice.speech_paused':
    case 'voice.speech_resumed':
    case 'voice.speech_interrupted':
    case 'voice.speech_finished':
    case 'voice.false_interruption':
    case 'voice.user_turn_skipped':
    case 'voice.metrics':
    case 'voice.error':
    case 'voice.closed':
      return state;
    default:
      // A type this version does not know (forward compatibility).
      return state;
  }
}

/**
 * `generation.retrying`, read defensively: the reducer also runs against
 * producers (and contract versions) that do not have it.
 */
function applyRetry(state: SessionView, event: AnyEvent): SessionView {
  if (!isRecord(event.data)) return state;
  const data = event.data;
  const error =
    isRecord(data.error) && typeof data.error.message === 'string' ? data.error : undefined;
  if (typeof data.generationId !== 'string' || error === undefined) return state;
  const retry: RetryView = withoutUndefined({
    generationId: data.generationId,
    attempt: numberField(data, 'attempt') ?? 1,
    nextAttempt: numberField(data, 'nextAttempt') ?? 2,
    delayMs: numberField(data, 'delayMs') ?? 0,
    error: error as ErrorInfo,
    fallbackTo: stringField(data, 'fallbackTo'),
    at: event.ts,
  });
  return updateRun(state, event.runId, (run) => ({ ...run, retry }));
}

/** Reduces `events` in order onto `state` (a fresh view by default). */
export function reduceEvents(
  events: Iterable<SessionViewInput>,
  state: SessionView = initialSessionView(),
): SessionView {
  for (const event of events) state = reduceSession(state, event);
  return state;
}
