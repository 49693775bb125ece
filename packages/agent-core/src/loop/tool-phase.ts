import type { LanguageModelV3ToolResultPart } from '@ai-sdk/provider';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { redactOutcome, redactProgress } from '../models/redact-secrets.js';
import type { PendingRequest } from '../sessions/session-snapshot.js';
import type { AgentTool, ToolCallOutcome } from '../tools/agent-tool.js';
import { executeToolCall, toToolResultOutput } from '../tools/execute-tool-call.js';
import { forEachLimited } from '../tools/for-each-limited.js';
import {
  validateToolInput,
  type ParsedToolInput,
  type ToolArguments,
} from '../tools/parse-tool-input.js';
import {
  presentToolCall,
  toolIdentity,
  type PreparedCall,
  type ToolCallIdentity,
  type ToolPresentation,
} from '../tools/tool-presentation.js';
import type { ModelToolCall } from './model-step.js';
import type { RunState } from './run-state.js';
import { isSubagentTool, runSubagent } from '../tools/built-in/subagent-tool.js';

/** The result of running one step's tool calls. */
export type ToolPhaseResult =
  | { kind: 'done'; parts: LanguageModelV3ToolResultPart[]; outcomes: Map<string, ToolCallOutcome> }
  | { kind: 'awaiting_input'; requests: PendingRequest[] }
  | {
      kind: 'cancelled';
      parts: LanguageModelV3ToolResultPart[];
      outcomes: Map<string, ToolCallOutcome>;
    };

/** The book of one step's tool calls: what ran, how it ended, when each call started. */
interface CallBook {
  run: RunState;
  stepIndex: number;
  outcomes: Map<string, ToolCallOutcome>;
  startedAt: Map<string, number>;
}

/**
 * Looks a tool up: run-local tools (ask_user, handoffs) first, then the
 * agent's. Own properties only: a model calling `constructor` or `toString`
 * must get `CORE_UNKNOWN_TOOL`, not `Object.prototype`'s function.
 */
export function findTool(run: RunState, name: string): AgentTool | undefined {
  return Object.hasOwn(run.localTools, name) ? run.localTools[name] : run.agent.tools.get(name);
}

/**
 * Validates a call's arguments against its tool's schema, once, and makes
 * the call's title and kind from the result (see {@link presentToolCall}).
 * The title function gets the validated input redacted as the events show
 * it (`redact.toolInput`), and its title is redacted too.
 */
export async function prepareCall(
  run: RunState,
  toolName: string,
  args: ToolArguments,
): Promise<PreparedCall> {
  const tool = findTool(run, toolName);
  if (!tool) return {};
  const checked = await validateToolInput(tool, args);
  const { redaction } = run.agent;
  const shown =
    checked.ok && redaction.toolInput
      ? { ok: true as const, value: redaction.redactor.value(checked.value) }
      : checked;
  return { ...presentCall(run, toolName, shown), checked };
}

/**
 * The kind of a call of `toolName` and, with its validated `input`, its
 * title (see {@link presentToolCall}), redacted like the input it is made from.
 */
export function presentCall(
  run: RunState,
  toolName: string,
  input?: ParsedToolInput,
): ToolPresentation {
  const shown = presentToolCall(findTool(run, toolName), input, (error) =>
    run.agent.reportError(
      new AgentCoreError({
        code: 'CORE_TOOL_TITLE_FAILED',
        message: run.agent.redaction.redactor.text(
          `The title function of tool ${toolName} failed: ${(error as Error)?.message ?? String(error)}`,
        ),
        cause: error,
      }),
    ),
  );
  const { redaction } = run.agent;
  return shown.title !== undefined && redaction.toolInput
    ? { ...shown, title: redaction.redactor.text(shown.title) }
    : shown;
}

/**
 * Runs one step's tool calls: the `pre_tool_call` hook (which may block a
 * call), the approval policy, then every allowed call concurrently, matched
 * by tool-call id. When any call needs approval, calls that need none run
 * now, their results are kept in `snapshot.paused`, and the run pauses.
 */
export async function runToolPhase(
  run: RunState,
  stepIndex: number,
  calls: readonly ModelToolCall[],
): Promise<ToolPhaseResult> {
  const outcomes = new Map<string, ToolCallOutcome>();
  const startedAt = new Map<string, number>();
  const book: CallBook = { run, stepIndex, outcomes, startedAt };
  const needApproval: ModelToolCall[] = [];
  const runnable: ModelToolCall[] = [];
  const { maxToolCallsPerStep } = run.agent.options;
  for (const [index, call] of calls.entries()) {
    startedAt.set(call.toolCallId, run.agent.now());
    if (index >= maxToolCallsPerStep) {
      // Not run, but answered: the model sees why and can ask again in smaller batches.
      const outcome: ToolCallOutcome = {
        status: 'failed',
        error: {
          message: `Not run: this step asked for ${calls.length} tool calls and at most ${maxToolCallsPerStep} run per step. Ask for the remaining ones in a later step.`,
          code: 'CORE_TOOL_CALL_LIMIT',
        },
        executionDurationMs: 0,
      };
      outcomes.set(call.toolCallId, outcome);
      finishCall(book, call, outcome);
      continue;
    }
    const [blocked] = (
      await run.agent.hooks.run('pre_tool_call', {
        ...ids(run),
        stepIndex,
        toolName: call.toolName,
        args: call.input,
        toolCallId: call.toolCallId,
      })
    ).filter(
      (result): result is { block: string } =>
        typeof result === 'object' && result != null && typeof result.block === 'string',
    );
    if (blocked) {
      outcomes.set(call.toolCallId, {
        status: 'denied',
        error: { message: `Blocked: ${blocked.block}`, code: 'CORE_TOOL_BLOCKED' },
        executionDurationMs: 0,
      });
      continue;
    }
    const tool = findTool(run, call.toolName);
    if (tool && (await requiresApproval(book, tool, call))) needApproval.push(call);
    else runnable.push(call);
  }
  await forEachLimited(runnable, run.agent.options.toolConcurrency, (call) => runOne(book, call));
  for (const call of calls) {
    const outcome = outcomes.get(call.toolCallId);
    if (outcome?.status === 'denied') finishCall(book, call, outcome);
  }
  if (needApproval.length > 0 && !run.signal.aborted) {
    const asked = needApproval.map((call) => ({
      call,
      request: {
        kind: 'approval' as const,
        requestId: run.agent.newId('apr'),
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        input: call.input,
        requestedAt: run.agent.now(),
      },
    }));
    const requests: PendingRequest[] = asked.map(({ request }) => request);
    // A redacted input is what is stored; the tool must run on the real one.
    const heldArgs = new Map<string, unknown>();
    for (const call of calls)
      if (call.args.ok && isRedacted(call)) heldArgs.set(call.toolCallId, call.args.value);
    run.session.state.pauseForApproval(
      {
        runId: run.runId,
        stepIndex,
        toolCalls: calls.map((call) => ({
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          input: call.input,
          ...(heldArgs.has(call.toolCallId) ? { redacted: true } : {}),
        })),
        results: Object.fromEntries([...outcomes].map(([id, outcome]) => [id, outcome])),
      },
      asked.map(({ request }) => request),
      heldArgs,
    );
    for (const { call, request } of asked) {
      run.emitter.emit('tool_call.approval_requested', {
        approvalId: request.requestId,
        ...toolIdentity(call),
        input: request.input,
        options: [
          { optionId: 'allow', label: 'Allow', kind: 'allow_once' },
          { optionId: 'allow_always', label: 'Always allow this tool', kind: 'allow_always' },
          { optionId: 'deny', label: 'Deny', kind: 'reject_once' },
        ],
      });
    }
    return { kind: 'awaiting_input', requests };
  }
  const parts = calls.map((call) => resultPart(call, outcomes.get(call.toolCallId)));
  return { kind: run.signal.aborted ? 'cancelled' : 'done', parts, outcomes };
}

/** Runs the calls a resumed run was waiting on, given the stored decisions. */
export async function runApprovedCalls(
  run: RunState,
  paused: {
    stepIndex: number;
    calls: readonly ModelToolCall[];
    decisions: ReadonlyMap<string, { approved: boolean; reason?: string }>;
    /** Outcomes of the calls that ran before the pause. */
    earlier: ReadonlyMap<string, ToolCallOutcome>;
  },
): Promise<Extract<ToolPhaseResult, { kind: 'done' | 'cancelled' }>> {
  const { calls, decisions } = paused;
  const outcomes = new Map(paused.earlier);
  const startedAt = new Map<string, number>();
  const book: CallBook = { run, stepIndex: paused.stepIndex, outcomes, startedAt };
  const approved = calls.filter(
    (call) => !outcomes.has(call.toolCallId) && decisions.get(call.toolCallId)?.approved,
  );
  for (const call of calls) {
    const decision = decisions.get(call.toolCallId);
    if (decision && !decision.approved) {
      const outcome: ToolCallOutcome = {
        status: 'denied',
        error: {
          message: decision.reason
            ? `Denied by the user: ${decision.reason}`
            : 'Denied by the user.',
          code: 'CORE_TOOL_DENIED',
        },
        executionDurationMs: 0,
      };
      outcomes.set(call.toolCallId, outcome);
      startedAt.set(call.toolCallId, run.agent.now());
      finishCall(book, call, outcome);
    }
  }
  await forEachLimited(approved, run.agent.options.toolConcurrency, (call) => runOne(book, call));
  const parts = calls.map((call) => resultPart(call, outcomes.get(call.toolCallId)));
  return { kind: run.signal.aborted ? 'cancelled' : 'done', parts, outcomes };
}

async function requiresApproval(
  { run, stepIndex }: CallBook,
  tool: AgentTool,
  call: ModelToolCall,
): Promise<boolean> {
  const policy = tool.approval ?? 'never';
  if (policy === 'never') return false;
  if (run.session.state.snapshot.approvedTools?.includes(call.toolName)) return false;
  if (policy === 'always') return true;
  try {
    return await policy(call.input, {
      ...ids(run),
      stepIndex,
      toolCallId: call.toolCallId,
    });
  } catch (error) {
    // A broken policy must not let a dangerous call through: ask a human.
    run.agent.reportError(error instanceof Error ? error : new Error(String(error)));
    return true;
  }
}

async function runOne(book: CallBook, call: ModelToolCall): Promise<void> {
  const { run, stepIndex, outcomes, startedAt } = book;
  startedAt.set(call.toolCallId, startedAt.get(call.toolCallId) ?? run.agent.now());
  run.emitter.emit('tool_call.running', toolIdentity(call));
  const found = findTool(run, call.toolName);
  const tool =
    found && isSubagentTool(found)
      ? {
          ...found,
          execute: (
            input: { task: string },
            context: { toolCallId: string; signal: AbortSignal },
          ) =>
            runSubagent(run, found, {
              task: input.task,
              toolCallId: context.toolCallId,
              signal: context.signal,
            }),
        }
      : found;
  const executed = await executeToolCall({
    tool: tool,
    toolName: call.toolName,
    // Validated once already (see prepareCall): not parsed or validated again.
    ...(call.checked ? { input: call.checked } : { args: call.args }),
    availableTools: [...Object.keys(run.localTools), ...run.agent.tools.names()],
    context: { ...ids(run), stepIndex, toolCallId: call.toolCallId },
    signal: run.signal,
    timeoutMs: tool?.timeoutMs ?? run.agent.options.toolTimeoutMs,
    maxOutputChars: run.agent.options.maxToolOutputChars,
    onProgress: (update) =>
      run.emitter.emit('tool_call.progress', {
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        ...(update.message === undefined
          ? {}
          : { message: redactProgress(run.agent.redaction, update.message) }),
        ...(update.current === undefined
          ? {}
          : {
              progress: {
                current: update.current,
                ...(update.total === undefined ? {} : { total: update.total }),
              },
            }),
      }),
  });
  // What is emitted, stored and sent back to the model is the same redacted outcome.
  const outcome = redactOutcome(run.agent.redaction, executed);
  outcomes.set(call.toolCallId, outcome);
  finishCall(book, call, outcome);
  await run.agent.hooks.run('post_tool_call', {
    ...ids(run),
    stepIndex,
    toolName: call.toolName,
    args: call.input,
    result: outcome.output ?? null,
    isError: outcome.status !== 'completed',
    status: outcome.status,
    ...(outcome.error ? { error: outcome.error } : {}),
    toolCallId: call.toolCallId,
    durationMs: outcome.executionDurationMs,
  });
}

/** Emits the terminal event of a call. */
export function finishCall(
  { run, startedAt }: Pick<CallBook, 'run' | 'startedAt'>,
  call: ToolCallIdentity,
  outcome: ToolCallOutcome,
): void {
  const started = startedAt.get(call.toolCallId);
  run.emitter.emit('tool_call.completed', {
    ...toolIdentity(call),
    status: outcome.status,
    ...(outcome.output === undefined ? {} : { output: outcome.output }),
    ...(outcome.error ? { error: outcome.error } : {}),
    ...(started === undefined ? {} : { durationMs: Math.max(0, run.agent.now() - started) }),
    executionDurationMs: outcome.executionDurationMs,
    ...(outcome.truncated ? { truncated: outcome.truncated } : {}),
  });
}

function resultPart(
  call: ModelToolCall,
  outcome: ToolCallOutcome | undefined,
): LanguageModelV3ToolResultPart {
  return {
    type: 'tool-result',
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    output: toToolResultOutput(outcome ?? { status: 'cancelled', executionDurationMs: 0 }),
  };
}

function ids(run: RunState) {
  return {
    sessionId: run.session.id,
    runId: run.runId,
    turn: run.turn,
    ...(run.parentRunId === undefined ? {} : { parentRunId: run.parentRunId }),
  };
}

/** Whether the call's shown input differs from its arguments (redaction found a secret). */
function isRedacted(call: ModelToolCall): boolean {
  return call.args.ok && JSON.stringify(call.input) !== JSON.stringify(call.args.value);
}
