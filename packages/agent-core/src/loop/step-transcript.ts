import type { LanguageModelV3Message } from '@ai-sdk/provider';
import type { ModelStepOutput, ModelToolCall } from './model-step.js';
import type { RunState } from './run-state.js';
import { finishCall, type ToolPhaseResult } from './tool-phase.js';

/** Adds the model's (possibly partial) answer to the transcript: nothing it said is lost. */
export function keepAssistantMessage(run: RunState, step: ModelStepOutput): void {
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

/** Adds a tool phase's results (or cancelled placeholders) as one tool message. */
export function appendToolResults(
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

/** Cancelled mid-stream: calls that started but never ran end as cancelled, with results so the prompt stays valid. */
export function cancelUnfinished(run: RunState, step: ModelStepOutput): void {
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

/** Ends calls the model asked for without running them (a limit was hit), keeping the prompt valid. */
export function skipToolCalls(
  run: RunState,
  calls: readonly ModelToolCall[],
  message: string,
): void {
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

/** Steer texts that arrived during the run are added after the tool results (the tool-result boundary). */
export function deliverSteers(run: RunState): void {
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
