import type { LanguageModelV3Message, LanguageModelV3ToolResultPart } from '@ai-sdk/provider';
import {
  isKnownEvent,
  isVoiceEvent,
  type AgentEvent,
  type AnyEvent,
  type ContentPart,
} from '@switchboard/events';
import type { ToolCallOutcome } from '../tools/agent-tool.js';
import { toToolResultOutput } from '../tools/execute-tool-call.js';
import type { PendingRequest, SessionSnapshot, TranscriptEntry } from './session-snapshot.js';
import { toUserContent, type UserContent } from './user-content.js';

type AssistantContent = Extract<LanguageModelV3Message, { role: 'assistant' }>['content'];

/** What a session's events say about the parts of its snapshot a run needs. */
export type SessionFromEvents = Pick<
  SessionSnapshot,
  'transcript' | 'totals' | 'turn' | 'status' | 'pending' | 'paused' | 'title' | 'titleSource'
>;

/** The assistant message of the step being read. */
interface StepContent {
  runId: string;
  createdAt: number;
  messageId?: string;
  reasoning: string;
  text: string;
  textStatus?: string;
  calls: Array<{ toolCallId: string; toolName: string; input: unknown }>;
}

/** Tool results waiting to become one tool message. */
interface StepResults {
  runId: string;
  createdAt: number;
  parts: LanguageModelV3ToolResultPart[];
  toolStatus: Record<string, ToolCallOutcome['status']>;
}

/** The top-level run being read, as far as a paused run needs it. */
interface RunInProgress {
  runId: string;
  stepIndex: number;
  stepCalls: Array<{ toolCallId: string; toolName: string; input: unknown }>;
  stepOutcomes: Map<string, ToolCallOutcome>;
  approvals: Map<string, Extract<PendingRequest, { kind: 'approval' }>>;
}

/**
 * Rebuilds what a session needs to continue from its events (an exported
 * event log): the transcript the model is sent (user messages, each step's
 * assistant message with its reasoning, text and tool calls, tool results,
 * applied steers and loop nudges, failed runs as error entries), the usage
 * totals, the title, the run count, and a run paused for approval at the end (its
 * pending approvals and paused step, so it can be answered and resumed).
 * The same shapes a live run writes, so the next run's prompt is the one
 * the original session would have sent. Sub-agent runs are left out (their
 * conversation is their own), as are compaction summaries (everything is
 * kept). `newId` names entries that had no id in the events.
 */
export function sessionFromEvents(
  events: Iterable<AnyEvent>,
  newId: (prefix: string) => string,
): SessionFromEvents {
  const transcript: TranscriptEntry[] = [];
  const totals: SessionSnapshot['totals'] = { usage: {}, apiCalls: 0 };
  const toolNames = new Map<string, string>();
  const steers = new Map<string, string>();
  let turn = 0;
  let step: StepContent | undefined;
  let results: StepResults | undefined;
  /** Results of a paused step: they join the resume run's tool message. */
  let pausedResults: StepResults | undefined;
  let run: RunInProgress | undefined;
  let paused: { run: RunInProgress; interrupts: string[] | undefined } | undefined;
  let title: Pick<SessionSnapshot, 'title' | 'titleSource'> = {};

  const add = (entry: Omit<TranscriptEntry, 'id'> & { id?: string }) =>
    transcript.push({ ...entry, id: entry.id ?? newId('msg') });
  const flushStep = () => {
    if (!step) return;
    const content: AssistantContent = [];
    if (step.reasoning) content.push({ type: 'reasoning', text: step.reasoning });
    if (step.text) content.push({ type: 'text', text: step.text });
    for (const call of step.calls) content.push({ type: 'tool-call', ...call });
    if (content.length > 0) {
      add({
        ...(step.messageId === undefined ? {} : { id: step.messageId }),
        runId: step.runId,
        message: { role: 'assistant', content },
        display: { createdAt: step.createdAt, status: entryStatus(step.textStatus) },
      });
    }
    step = undefined;
  };
  const flushResults = () => {
    if (!results) return;
    add({
      runId: results.runId,
      message: { role: 'tool', content: results.parts },
      display: { createdAt: results.createdAt, status: 'complete', toolStatus: results.toolStatus },
    });
    results = undefined;
  };
  const flush = () => {
    flushStep();
    flushResults();
  };
  const stepOf = (event: AnyEvent & { runId: string }): StepContent =>
    (step ??= { runId: event.runId, createdAt: event.ts, reasoning: '', text: '', calls: [] });

  for (const event of events) {
    // Voice events describe the audio around a turn; what was said reaches the transcript as
    // `user.message{source:'voice'}` and the run's own messages.
    if (!isKnownEvent(event) || isVoiceEvent(event)) continue;
    if (event.type === 'session.title_updated') {
      title = { title: event.data.title, titleSource: event.data.source };
      continue;
    }
    if (
      event.type === 'usage.updated' &&
      event.data.scope === 'session' &&
      event.data.estimated !== true
    ) {
      totals.usage = event.data.usage;
      totals.apiCalls += 1;
      if (event.data.cost) totals.costUsd = event.data.cost.amount;
      continue;
    }
    // Sub-agent runs have a conversation of their own; session events carry nothing for the prompt.
    if (event.runId === undefined || event.parentRunId !== undefined) continue;
    const inRun = { ...event, runId: event.runId };
    switch (event.type) {
      case 'run.started':
        flush();
        turn += 1;
        run = {
          runId: event.runId,
          stepIndex: 0,
          stepCalls: [],
          stepOutcomes: new Map(),
          approvals: new Map(),
        };
        if (event.data.resumeOfRunId !== undefined && pausedResults) {
          results = { ...pausedResults, runId: event.runId };
        }
        pausedResults = undefined;
        paused = undefined;
        break;
      case 'user.message':
        flush();
        add({
          id: event.data.messageId,
          runId: event.runId,
          message: { role: 'user', content: userContent(event.data.parts) },
          display: {
            createdAt: event.ts,
            status: 'complete',
            source: userSource(event.data.source),
          },
        });
        break;
      case 'step.started':
        flush();
        if (run) {
          run.stepIndex = event.data.stepIndex;
          run.stepCalls = [];
          run.stepOutcomes = new Map();
        }
        break;
      case 'message.started':
        stepOf(inRun).messageId ??= event.data.messageId;
        break;
      case 'message.delta':
        stepOf(inRun).text += event.data.delta;
        break;
      case 'message.completed': {
        // A voice reply cut after it was written: it completes again with what was spoken.
        const written = step?.messageId === event.data.messageId ? undefined : transcript;
        const entry = written?.find((candidate) => candidate.id === event.data.messageId);
        if (entry) {
          truncateEntry(transcript, entry, event.data);
          break;
        }
        const current = stepOf(inRun);
        current.text = event.data.text ?? current.text;
        if (event.data.status !== undefined) current.textStatus = event.data.status;
        break;
      }
      case 'reasoning.delta':
        stepOf(inRun).reasoning += event.data.delta;
        break;
      case 'reasoning.completed':
        if (event.data.text !== undefined) stepOf(inRun).reasoning = event.data.text;
        break;
      case 'tool_call.started':
        toolNames.set(event.data.toolCallId, event.data.toolName);
        break;
      case 'tool_call.ready': {
        const { toolCallId, input } = event.data;
        const call = { toolCallId, toolName: toolNames.get(toolCallId) ?? 'unknown', input };
        stepOf(inRun).calls.push(call);
        run?.stepCalls.push(call);
        break;
      }
      case 'tool_call.approval_requested':
        run?.approvals.set(event.data.approvalId, {
          kind: 'approval',
          requestId: event.data.approvalId,
          toolCallId: event.data.toolCallId,
          toolName: event.data.toolName ?? toolNames.get(event.data.toolCallId) ?? 'unknown',
          input: event.data.input,
          requestedAt: event.ts,
        });
        break;
      case 'tool_call.completed': {
        flushStep();
        const outcome = outcomeOf(event);
        const { toolCallId } = event.data;
        results ??= { runId: event.runId, createdAt: event.ts, parts: [], toolStatus: {} };
        results.parts.push({
          type: 'tool-result',
          toolCallId,
          toolName: toolNames.get(toolCallId) ?? 'unknown',
          output: toToolResultOutput(outcome),
        });
        results.toolStatus[toolCallId] = outcome.status;
        run?.stepOutcomes.set(toolCallId, outcome);
        break;
      }
      case 'steer.accepted':
        steers.set(event.data.steerId, event.data.text);
        break;
      case 'steer.applied': {
        const text = steers.get(event.data.steerId);
        if (text === undefined) break;
        flush();
        add({
          runId: event.runId,
          message: { role: 'user', content: [{ type: 'text', text }] },
          display: { createdAt: event.ts, status: 'complete', source: 'steer' },
        });
        break;
      }
      case 'feedback.injected':
        flush();
        add({
          runId: event.runId,
          message: { role: 'user', content: [{ type: 'text', text: event.data.content }] },
          display: { createdAt: event.ts, status: 'complete', source: 'nudge' },
        });
        break;
      case 'run.failed':
        flush();
        add({
          runId: event.runId,
          message: {
            role: 'assistant',
            content: [{ type: 'text', text: event.data.error.message }],
          },
          display: {
            createdAt: event.ts,
            status: 'error',
            error: { code: event.data.error.code ?? 'UNKNOWN', message: event.data.error.message },
          },
        });
        break;
      case 'run.finished':
        flushStep();
        if (event.data.withdrawn === true) {
          // A withdrawn run (a voice preemptive generation) left nothing behind.
          results = undefined;
          transcript.splice(
            0,
            transcript.length,
            ...transcript.filter((entry) => entry.runId !== event.runId),
          );
          break;
        }
        if (event.data.stopReason === 'awaiting_input' && run) {
          // The step's results wait in the paused step; the resume writes them with the rest.
          pausedResults = results;
          results = undefined;
          paused = {
            run,
            interrupts: event.data.interrupts?.map((interrupt) => interrupt.interruptId),
          };
        }
        flushResults();
        break;
      // Nothing the model is sent: lifecycle, streaming details, display-only events.
      // Nothing to rebuild from these.
      case 'session.started':
      case 'session.ended':
      case 'step.finished':
      case 'reasoning.started':
      case 'generation.started':
      case 'generation.retrying':
      case 'generation.finished':
      case 'tool_call.args_delta':
      case 'tool_call.running':
      case 'tool_call.progress':
      case 'tool_call.approval_resolved':
      case 'clarify.requested':
      case 'clarify.resolved':
      case 'plan.updated':
      case 'usage.updated':
      case 'context.compacted':
      case 'agent.handoff':
      case 'loop.budget_exhausted':
      case 'loop.stuck':
      case 'skill.activated':
      case 'skill.deactivated':
      case 'notice':
      case 'custom':
        break;
    }
  }
  flush();
  return { transcript, totals, turn, ...title, ...pausedState(paused) };
}

/** Status and pending requests of a session whose last run paused for approval (or not). */
function pausedState(
  paused: { run: RunInProgress; interrupts: string[] | undefined } | undefined,
): Pick<SessionSnapshot, 'status' | 'pending' | 'paused'> {
  if (!paused) return { status: 'idle', pending: [] };
  const { run, interrupts } = paused;
  const pending = [...run.approvals.values()].filter(
    (request) =>
      (interrupts ?? [request.requestId]).includes(request.requestId) &&
      !run.stepOutcomes.has(request.toolCallId),
  );
  if (pending.length === 0) return { status: 'idle', pending: [] };
  return {
    status: 'awaiting_input',
    pending,
    paused: {
      runId: run.runId,
      stepIndex: run.stepIndex,
      toolCalls: run.stepCalls,
      results: Object.fromEntries(run.stepOutcomes),
    },
  };
}

/** A logged tool outcome as the loop keeps it. */
function outcomeOf(event: AgentEvent<'tool_call.completed'>): ToolCallOutcome {
  const { status, output, error, executionDurationMs } = event.data;
  return {
    status,
    ...(output === undefined ? {} : { output }),
    ...(error
      ? { error: { message: error.message, ...(error.code ? { code: error.code } : {}) } }
      : {}),
    executionDurationMs: executionDurationMs ?? 0,
  };
}

/** A logged user message's parts as model content; parts no model takes become a note. */
function userContent(parts: readonly ContentPart[]): UserContent {
  return parts.flatMap((part): UserContent => {
    try {
      return toUserContent([part]);
    } catch {
      return [{ type: 'text', text: `[${part.type} part]` }];
    }
  });
}

/** Cuts an assistant entry's text to what a later `message.completed` says was spoken. */
function truncateEntry(
  transcript: TranscriptEntry[],
  entry: TranscriptEntry,
  data: { text?: string; status?: string; spokenMs?: number },
): void {
  const message = entry.message;
  if (message.role !== 'assistant' || data.text === undefined) return;
  const reasoning = message.content.filter((part) => part.type === 'reasoning');
  const rest = message.content.filter((part) => part.type !== 'reasoning' && part.type !== 'text');
  const text = data.text ? [{ type: 'text' as const, text: data.text }] : [];
  const content = [...reasoning, ...text, ...rest];
  if (content.every((part) => part.type === 'reasoning')) {
    transcript.splice(transcript.indexOf(entry), 1);
    return;
  }
  entry.message = { ...message, content };
  entry.display = {
    ...entry.display,
    status: entryStatus(data.status),
    ...(data.spokenMs === undefined ? {} : { spokenMs: data.spokenMs }),
  };
}

/** The display status of a step whose message ended with `status`. */
function entryStatus(status: string | undefined): TranscriptEntry['display']['status'] {
  if (status === 'cancelled' || status === 'failed') return 'partial';
  if (status === 'interrupted') return 'interrupted';
  return 'complete';
}

/**
 * A user message's source as the transcript records it. `source` is an open
 * enum on the wire: a source a newer writer added is shown as typed text.
 */
function userSource(source: string | undefined): 'text' | 'voice' | 'steer' {
  return source === 'voice' || source === 'steer' ? source : 'text';
}
