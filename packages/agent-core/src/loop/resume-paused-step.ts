import type { ToolCallOutcome } from '../tools/agent-tool.js';
import type { Stop } from './finish-run.js';
import type { ModelToolCall } from './model-step.js';
import { pausedArguments } from './paused-arguments.js';
import type { RunState } from './run-state.js';
import { appendToolResults } from './step-transcript.js';
import { prepareCall, runApprovedCalls } from './tool-phase.js';

/** Resumes the step a paused run stopped at, once every request has an answer. */
export async function resumePausedStep(run: RunState): Promise<Stop | undefined> {
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
