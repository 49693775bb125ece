import type { LanguageModelV3Message } from '@ai-sdk/provider';
import { AgentCoreError } from '../errors/agent-core-error.js';
import { emptyResponseError } from '../models/provider-errors.js';
import { loadAttachments } from '../sessions/load-attachments.js';
import type { ToolCallOutcome } from '../tools/agent-tool.js';
import { pausedArguments } from './paused-arguments.js';
import { createCostOf } from '../usage/price-table.js';
import { liveUsageOf, recordUsage } from '../usage/record-usage.js';
import { maybeCompact } from './compaction.js';
import { runModelStep, type ModelStepOutput, type ModelToolCall } from './model-step.js';
import { finishRun, type Stop } from './finish-run.js';
import type { RunResult } from '../agent/run-handle.js';
import type { RunInput, RunState } from './run-state.js';

export type { RunInput } from './run-state.js';
import { StuckDetector } from './stuck-detector.js';
import {
  finishCall,
  prepareCall,
  presentCall,
  runApprovedCalls,
  runToolPhase,
  type ToolPhaseResult,
} from './tool-phase.js';

/**
 * One run of the agent loop, from `run.started` to `run.finished` (or
 * `run.failed`). Never throws: every outcome, including provider failures and
 * bugs, ends in a terminal event, a saved snapshot and a RunResult.
 */
export async function executeRun(run: RunState, input: RunInput): Promise<RunResult> {
  const { agent, session, emitter } = run;
  const started = agent.now();
  const modelName = run.model.id;
  session.state.markRunning();
  emitter.emit('run.started', {
    trigger: run.trigger,
    agent: { name: agent.name },
    model: modelName,
    ...(input.kind === 'user' ? { input: { messageId: input.messageId, parts: input.parts } } : {}),
    ...(input.kind === 'resume' && session.state.snapshot.paused
      ? { resumeOfRunId: session.state.snapshot.paused.runId }
      : {}),
    ...(run.parentToolCallId ? { parentToolCallId: run.parentToolCallId } : {}),
    ...(run.handoffFromRunId ? { handoffFromRunId: run.handoffFromRunId } : {}),
  });
  let stop: Stop;
  try {
    if (input.kind === 'user') acceptUserInput(run, input);
    // What the user typed is durable first: before any model call, and before
    // tool sources that may take seconds to answer (an MCP server connecting).
    await session.checkpoint();
    stop =
      input.kind === 'say'
        ? say(run, input)
        : ((await refreshTools(run)) ?? (await startLoop(run, input)));
  } catch (error) {
    const failure =
      error instanceof AgentCoreError
        ? error
        : new AgentCoreError({
            code: 'CORE_INTERNAL',
            message: agent.redaction.redactor.text(
              `Unexpected error in the agent loop: ${(error as Error)?.message ?? String(error)}`,
            ),
            cause: error,
          });
    agent.reportError(failure);
    stop = { stopReason: 'failed', error: failure };
  }
  return finishRun(run, stop, { startedAt: started, modelName });
}

function acceptUserInput(run: RunState, input: Extract<RunInput, { kind: 'user' }>): void {
  const { session, emitter } = run;
  // Steers that arrived after the last run ended become part of this user message.
  const queued = session.state.takeQueuedSteers();
  for (const steer of queued) {
    session.addEntry({
      runId: run.runId,
      message: { role: 'user', content: [{ type: 'text', text: steer.text }] },
      display: { createdAt: run.agent.now(), status: 'complete', source: 'steer' },
    });
  }
  emitter.emit('user.message', {
    messageId: input.messageId,
    parts: input.parts,
    source: input.source,
  });
  session.addEntry({
    id: input.messageId,
    runId: run.runId,
    message: {
      role: 'user',
      content: input.content,
    },
    display: { createdAt: run.agent.now(), status: 'complete', source: input.source },
  });
}

/** `session.say()`: the text becomes the run's one assistant message, as if the model had said it. */
function say(run: RunState, input: Extract<RunInput, { kind: 'say' }>): Stop {
  const { emitter, session } = run;
  const { messageId, text } = input;
  emitter.emit('message.started', { messageId, role: 'assistant' });
  emitter.emit('message.delta', { messageId, delta: text });
  emitter.emit('message.completed', { messageId, text, status: 'completed' });
  session.addEntry({
    id: messageId,
    runId: run.runId,
    message: { role: 'assistant', content: [{ type: 'text', text }] },
    display: { createdAt: run.agent.now(), status: 'complete' },
  });
  run.lastText = text;
  return { stopReason: 'completed' };
}

/**
 * A preemptive run waits here (before any tool runs, and before it finishes)
 * until it is confirmed; false when it was cancelled or withdrawn meanwhile.
 */
async function awaitConfirmation(run: RunState): Promise<boolean> {
  if (!run.confirmed) return true;
  const confirmed = await untilAborted(
    run.confirmed.then(() => true),
    run.signal,
  );
  return confirmed === true && !run.signal.aborted;
}

/** Ends calls the model asked for without running them (a limit was hit), keeping the prompt valid. */
function skipToolCalls(run: RunState, calls: readonly ModelToolCall[], message: string): void {
  const error = { message, code: 'CORE_MAX_TOOL_STEPS' };
  for (const call of calls)
    finishCall({ run, startedAt: new Map() }, call, {
      status: 'cancelled',
      error,
      executionDurationMs: 0,
    });
  run.session.addEntry({
    runId: run.runId,
    message: {
      role: 'tool',
      content: calls.map((call) => ({
        type: 'tool-result' as const,
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output: { type: 'error-text' as const, value: message },
      })),
    },
    display: {
      createdAt: run.agent.now(),
      status: 'complete',
      toolStatus: Object.fromEntries(calls.map((call) => [call.toolCallId, 'cancelled' as const])),
    },
  });
}

async function loop(run: RunState, input: RunInput): Promise<Stop> {
  const { agent, session, emitter } = run;
  const stuckOptions = agent.options.stuck;
  const stuck = stuckOptions === false ? undefined : new StuckDetector(stuckOptions);
  let nudges = 0;
  if (input.kind === 'resume') {
    const resumed = await resumePausedStep(run);
    if (resumed) return resumed;
  }
  for (;;) {
    if (run.signal.aborted) return { stopReason: 'cancelled' };
    if (run.modelCalls >= agent.options.maxTurns) {
      emitter.emit('loop.budget_exhausted', { maxSteps: agent.options.maxTurns });
      return { stopReason: 'max_steps' };
    }
    const stepIndex = run.nextStepIndex++;
    emitter.stepIndex = stepIndex;
    const clock: StepClock = { index: stepIndex, startedAt: agent.now() };
    emitter.emit('step.started', { stepIndex });
    await maybeCompact(run);
    const base = await agent.instructions(session.id);
    // Instructions for this run only (generateReply): never part of the transcript.
    const system = run.instructions ? `${base}\n\n${run.instructions}` : base;
    // The converted prompt is the session's (kept between steps); attachments are
    // loaded into a copy for this request only.
    const prompt = await loadAttachments(session.state.providerPrompt(system), run.attachments);
    const tools = [...agent.tools.toSpecTools(), ...localSpecTools(run)];
    const step = await runModelStep({
      emitter,
      models: run.model.models,
      prompt,
      tools,
      settings: agent.options.modelSettings,
      retry: agent.options.retry,
      idleTimeoutMs: agent.options.modelIdleTimeoutMs,
      signal: run.signal,
      newId: (prefix) => agent.newId(prefix),
      now: () => agent.now(),
      redaction: agent.redaction,
      costOf: createCostOf(agent.prices),
      liveUsage: liveUsageOf(run, 'turn'),
      presentTool: (toolName) => presentCall(run, toolName),
      prepareToolCall: (toolName, args) => prepareCall(run, toolName, args),
      // The same number as estimating `prompt`, without serialising the whole conversation.
      promptTokens: () => session.state.estimatePromptTokens(system),
      onFallback: ({ from, to, error }) =>
        emitter.emit('notice', {
          severity: 'warning',
          code: 'CORE_MODEL_FALLBACK',
          message: `Model ${from} failed (${error.code}); falling back to ${to}.`,
        }),
    });
    run.modelCalls += 1;
    recordUsage(run, step);
    keepAssistantMessage(run, step);
    // What the model said is durable before any tool runs: a crash mid-tool loses nothing.
    if (step.toolCalls.length > 0) await session.checkpoint();
    await afterApiRequest(run, step, { stepIndex, messageCount: prompt.length });
    if (step.cancelled) {
      cancelUnfinished(run, step);
      finishStep(run, clock, step);
      return { stopReason: 'cancelled' };
    }
    if (step.error) {
      finishStep(run, clock, step);
      return { stopReason: 'failed', error: step.error };
    }
    if (step.toolCalls.length === 0) {
      finishStep(run, clock, step);
      if (!(await awaitConfirmation(run))) return { stopReason: 'cancelled' };
      await session.checkpoint();
      // A first answer with nothing in it is a provider failure, not a silent reply
      // (after tool results, or resuming, an empty closing answer is legitimate).
      if (run.modelCalls === 1 && input.kind !== 'resume' && !step.text && !step.reasoning)
        return { stopReason: 'failed', error: emptyResponseError(run.model.id) };
      if (step.finishReason === 'length') return { stopReason: 'max_tokens' };
      if (step.finishReason === 'content-filter') return { stopReason: 'refusal' };
      return { stopReason: 'completed' };
    }
    if (!(await awaitConfirmation(run))) {
      cancelUnfinished(run, step);
      finishStep(run, clock, step);
      return { stopReason: 'cancelled' };
    }
    if (run.maxToolSteps !== undefined && run.toolSteps >= run.maxToolSteps) {
      emitter.emit('loop.budget_exhausted', { maxSteps: run.maxToolSteps, limit: 'tool_steps' });
      skipToolCalls(
        run,
        step.toolCalls,
        `Not run: this reply may make at most ${run.maxToolSteps} round(s) of tool calls.`,
      );
      finishStep(run, clock, step);
      return { stopReason: 'max_steps' };
    }
    run.toolSteps += 1;
    const phase = await runToolPhase(run, stepIndex, step.toolCalls);
    if (phase.kind === 'awaiting_input') {
      finishStep(run, clock, step);
      return { stopReason: 'awaiting_input' };
    }
    appendToolResults(run, phase, step.toolCalls);
    if (phase.kind === 'cancelled') {
      finishStep(run, clock, step);
      return { stopReason: 'cancelled' };
    }
    deliverSteers(run);
    finishStep(run, clock, step);
    await session.checkpoint();
    if (run.handoff) {
      emitter.emit('agent.handoff', {
        fromAgent: agent.name,
        toAgent: run.handoff.target.name,
        toRunId: run.handoff.toRunId,
        ...(run.handoff.reason ? { reason: run.handoff.reason } : {}),
      });
      return { stopReason: 'completed' };
    }
    if (stuck) {
      const verdict = stuck.observe(
        step.toolCalls.map((call) => ({
          toolName: call.toolName,
          input: call.input,
          failed: phase.outcomes.get(call.toolCallId)?.status !== 'completed',
        })),
      );
      if (verdict.stuck) {
        const action =
          nudges < (stuckOptions as { maxNudges: number }).maxNudges ? 'nudge' : 'stop';
        emitter.emit('loop.stuck', {
          reason: verdict.reason,
          action,
          repeats: verdict.repeats,
          nudges,
          ...(verdict.toolName ? { toolName: verdict.toolName } : {}),
          tailExcerpt: run.lastText.slice(-500),
        });
        if (action === 'stop') return { stopReason: 'stuck' };
        nudges += 1;
        stuck.reset();
        const content =
          verdict.reason === 'repeated_tool_call'
            ? `You have called ${verdict.toolName} with the same arguments ${verdict.repeats} times and got the same result. Do not repeat it: try a different approach or answer with what you have.`
            : `Your last ${verdict.repeats} steps all failed. Stop and reconsider: try a different approach or explain the problem to the user.`;
        emitter.emit('feedback.injected', { kind: 'loop_nudge', content });
        session.addEntry({
          runId: run.runId,
          message: { role: 'user', content: [{ type: 'text', text: content }] },
          display: { createdAt: agent.now(), status: 'complete', source: 'nudge' },
        });
      }
    }
  }
}

/** Resumes the step a paused run stopped at, once every request has an answer. */
async function resumePausedStep(run: RunState): Promise<Stop | undefined> {
  const { session, emitter } = run;
  if (!session.state.snapshot.paused) return undefined;
  const { paused, approvals, heldArgs } = session.state.takePausedStep();
  const decisions = new Map<string, { approved: boolean; reason?: string }>();
  for (const request of approvals) {
    if (!request.response) continue;
    decisions.set(request.toolCallId, request.response);
    emitter.emit('tool_call.approval_resolved', {
      approvalId: request.requestId,
      toolCallId: request.toolCallId,
      toolName: request.toolName,
      approved: request.response.approved,
      optionId: request.response.approved
        ? request.response.always
          ? 'allow_always'
          : 'allow'
        : 'deny',
      ...(request.response.reason ? { reason: request.response.reason } : {}),
    });
  }
  const stepIndex = run.nextStepIndex++;
  emitter.stepIndex = stepIndex;
  // Names come from the paused state; title and kind from the tools' definitions again, made
  // from the input validated once for this run (the tool runs on it, not validated again).
  const calls: ModelToolCall[] = await Promise.all(
    paused.toolCalls.map(async (call) => {
      const args = pausedArguments(call, heldArgs);
      return { ...call, ...(await prepareCall(run, call.toolName, args)), args };
    }),
  );
  const earlier = new Map(Object.entries(paused.results) as Array<[string, ToolCallOutcome]>);
  const phase = await runApprovedCalls(run, { stepIndex, calls, decisions, earlier });
  appendToolResults(run, phase, calls);
  await session.checkpoint();
  return phase.kind === 'cancelled' ? { stopReason: 'cancelled' } : undefined;
}

/** Adds the model's (possibly partial) answer to the transcript: nothing it said is lost. */
function keepAssistantMessage(run: RunState, step: ModelStepOutput): void {
  const content: Extract<LanguageModelV3Message, { role: 'assistant' }>['content'] = [];
  if (step.reasoning) content.push({ type: 'reasoning', text: step.reasoning });
  if (step.text) content.push({ type: 'text', text: step.text });
  for (const call of step.toolCalls)
    content.push({
      type: 'tool-call',
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      input: call.input,
    });
  if (step.text) run.lastText = step.text;
  if (content.length > 0) {
    run.session.addEntry({
      ...(step.messageId ? { id: step.messageId } : {}),
      runId: run.runId,
      message: { role: 'assistant', content },
      display: {
        createdAt: run.agent.now(),
        status: step.cancelled || step.error ? 'partial' : 'complete',
      },
    });
  }
  if (step.error) {
    run.session.addEntry({
      runId: run.runId,
      message: { role: 'assistant', content: [{ type: 'text', text: step.error.message }] },
      display: {
        createdAt: run.agent.now(),
        status: 'error',
        error: { code: step.error.code, message: step.error.message },
      },
    });
  }
}

async function afterApiRequest(
  run: RunState,
  step: ModelStepOutput,
  { stepIndex, messageCount }: { stepIndex: number; messageCount: number },
): Promise<void> {
  await run.agent.hooks.run('post_api_request', {
    sessionId: run.session.id,
    runId: run.runId,
    turn: run.turn,
    ...(run.parentRunId === undefined ? {} : { parentRunId: run.parentRunId }),
    stepIndex,
    apiCallIndex: run.session.state.snapshot.totals.apiCalls,
    generationId: step.generationId,
    provider: step.provider,
    model: step.model,
    ...(step.responseModel ? { responseModel: step.responseModel } : {}),
    apiDurationMs: step.durationMs,
    ...(step.timeToFirstTokenMs === undefined
      ? {}
      : { timeToFirstTokenMs: step.timeToFirstTokenMs }),
    finishReason: step.finishReason,
    usage: step.usage,
    ...(run.costUsd === undefined ? {} : { costUsd: run.costUsd }),
    messageCount,
    assistantContentChars: step.text.length,
    assistantToolCallCount: step.toolCalls.length,
    attempt: step.attempt,
    fallbackIndex: step.modelIndex,
  });
}

/** Cancelled mid-stream: calls that started but never ran end as cancelled, with results so the prompt stays valid. */
function cancelUnfinished(run: RunState, step: ModelStepOutput): void {
  const now = new Map<string, number>();
  for (const call of [...step.toolCalls, ...step.unfinishedToolCalls]) {
    finishCall({ run, startedAt: now }, call, {
      status: 'cancelled',
      error: { message: 'Cancelled by the user.', code: 'CORE_CANCELLED' },
      executionDurationMs: 0,
    });
  }
  if (step.toolCalls.length > 0) {
    appendToolResults(run, { kind: 'cancelled', parts: [], outcomes: new Map() }, step.toolCalls);
  }
}

function appendToolResults(
  run: RunState,
  phase: Extract<ToolPhaseResult, { kind: 'done' | 'cancelled' }>,
  calls: readonly ModelToolCall[],
): void {
  const parts =
    phase.parts.length > 0
      ? phase.parts
      : calls.map((call) => ({
          type: 'tool-result' as const,
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          output: { type: 'error-text' as const, value: 'Cancelled by the user.' },
        }));
  const toolStatus = Object.fromEntries(
    calls.map((call) => [
      call.toolCallId,
      phase.outcomes.get(call.toolCallId)?.status ?? 'cancelled',
    ]),
  );
  run.session.addEntry({
    runId: run.runId,
    message: { role: 'tool', content: parts },
    display: {
      createdAt: run.agent.now(),
      status: phase.kind === 'cancelled' ? 'partial' : 'complete',
      toolStatus,
    },
  });
}

/** Steer texts that arrived during the run are added after the tool results (the tool-result boundary). */
function deliverSteers(run: RunState): void {
  for (const steer of run.session.takeSteers()) {
    run.session.addEntry({
      runId: run.runId,
      message: { role: 'user', content: [{ type: 'text', text: steer.text }] },
      display: { createdAt: run.agent.now(), status: 'complete', source: 'steer' },
    });
    run.emitter.emit('steer.applied', { steerId: steer.steerId, mode: 'tool_boundary' });
    run.emitter.emit('feedback.injected', { kind: 'steer', content: steer.text });
  }
}

/** When a step started, for its `step.finished` duration. */
interface StepClock {
  index: number;
  startedAt: number;
}

function finishStep(run: RunState, clock: StepClock, step: ModelStepOutput): void {
  run.emitter.emit('step.finished', {
    stepIndex: clock.index,
    durationMs: Math.max(0, run.agent.now() - clock.startedAt),
    usage: step.usage,
  });
}

function localSpecTools(run: RunState) {
  return run.agent.tools.toSpecTools(run.localTools);
}

/**
 * Re-lists the tool sources (MCP sources answer from a cache unless their
 * server announced a change) and reports the ones that failed. A cancel does
 * not wait for a slow listing: it stops the run (the listing goes on, shared
 * by the next run's refresh).
 */
async function refreshTools(run: RunState): Promise<Stop | undefined> {
  const { agent, emitter } = run;
  const refreshed = await untilAborted(agent.tools.refresh(), run.signal);
  if (refreshed === undefined) return { stopReason: 'cancelled' };
  for (const failure of refreshed.failures) {
    emitter.emit('notice', {
      severity: 'warning',
      code: 'CORE_TOOL_SOURCE_FAILED',
      message: agent.redaction.redactor.text(
        `Tool source ${failure.source} failed: ${failure.error.message}`,
      ),
    });
  }
  return undefined;
}

/** Runs the `pre_llm_call` hooks, then the loop. */
async function startLoop(run: RunState, input: RunInput): Promise<Stop> {
  const { agent, session } = run;
  // The history is built only for a listener: it is the whole conversation.
  if (agent.hooks.has('pre_llm_call'))
    await agent.hooks.run('pre_llm_call', {
      sessionId: session.id,
      runId: run.runId,
      turn: run.turn,
      ...(run.parentRunId === undefined ? {} : { parentRunId: run.parentRunId }),
      userMessage: run.userMessage,
      history: session.state.providerPrompt('').filter((m) => m.role !== 'system'),
      isFirstTurn: run.turn === 1,
      model: run.model.id,
      platform: agent.options.platform,
      trigger: run.trigger,
    });
  return loop(run, input);
}

/** `promise`'s value, or undefined as soon as `signal` aborts (the promise goes on unobserved). */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return undefined;
  let onAbort!: () => void;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
