import { AgentCoreError } from '../errors/agent-core-error.js';
import { toErrorInfo } from '../errors/to-error-info.js';
import type { StopReason } from '@switchboard/events';
import type { RunResult } from '../agent/run-handle.js';
import type { RunState } from './run-state.js';

/** How a run ended. */
export type Stop =
  { stopReason: StopReason; error?: undefined } | { stopReason: 'failed'; error: AgentCoreError };

/**
 * Ends a run: queues steers that never reached a tool boundary, runs the
 * `post_llm_call` and `on_session_end` hooks, emits `run.finished` or
 * `run.failed`, and checkpoints the session.
 */
export async function finishRun(
  run: RunState,
  stop: Stop,
  { startedAt: started, modelName }: { startedAt: number; modelName: string },
): Promise<RunResult> {
  const { agent, session, emitter } = run;
  emitter.stepIndex = undefined;
  // Stopped because another writer took the session over: that is a failure, not a cancel.
  const reason: unknown = run.signal.reason;
  if (
    stop.stopReason === 'cancelled' &&
    reason instanceof AgentCoreError &&
    reason.code === 'CORE_SESSION_CONFLICT'
  )
    stop = { stopReason: 'failed', error: reason };
  // A voice barge-in (truncateReply on a live run) is an interruption, not a cancel.
  if (
    stop.stopReason === 'cancelled' &&
    reason instanceof AgentCoreError &&
    reason.code === 'CORE_INTERRUPTED'
  )
    stop = { stopReason: 'interrupted' };
  // A withdrawn run leaves nothing in the transcript, however far it got.
  if (run.withdrawn) {
    stop = { stopReason: 'cancelled' };
    session.state.withdrawRun(run.runId);
  }
  // Steers that never reached a tool boundary wait for the next user message.
  for (const steer of session.takeSteers()) {
    session.state.queueSteer(steer);
    emitter.emit('steer.applied', { steerId: steer.steerId, mode: 'next_message' });
  }
  const pending = session.state.finish(stop.stopReason);
  // The history is built only for a listener: it is the whole conversation.
  if (stop.stopReason === 'completed' && agent.hooks.has('post_llm_call')) {
    await agent.hooks.run('post_llm_call', {
      sessionId: session.id,
      runId: run.runId,
      turn: run.turn,
      ...(run.parentRunId === undefined ? {} : { parentRunId: run.parentRunId }),
      userMessage: run.userMessage,
      assistantResponse: run.lastText,
      history: session.state.providerPrompt('').filter((m) => m.role !== 'system'),
      model: modelName,
      platform: agent.options.platform,
      usage: run.usage,
    });
  }
  await agent.hooks.run('on_session_end', {
    sessionId: session.id,
    runId: run.runId,
    turn: run.turn,
    ...(run.parentRunId === undefined ? {} : { parentRunId: run.parentRunId }),
    completed: stop.stopReason === 'completed',
    interrupted: stop.stopReason === 'cancelled' || stop.stopReason === 'interrupted',
    stopReason: stop.stopReason,
    ...(stop.error ? { error: { code: stop.error.code, message: stop.error.message } } : {}),
    model: modelName,
    platform: agent.options.platform,
  });
  // Cleared before the terminal event: the checkpoint after it records the run as ended.
  session.state.endRun();
  const durationMs = Math.max(0, agent.now() - started);
  const cost = run.costUsd === undefined ? {} : { cost: { amount: run.costUsd, currency: 'USD' } };
  if (stop.stopReason === 'failed') {
    emitter.emit('run.failed', {
      error: toErrorInfo(stop.error),
      usage: run.usage,
      ...cost,
      durationMs,
    });
  } else {
    emitter.emit('run.finished', {
      stopReason: stop.stopReason,
      ...(pending.length > 0
        ? {
            interrupts: pending.map((request) => ({
              interruptId: request.requestId,
              reason: request.kind === 'approval' ? 'tool_approval' : 'clarify',
              toolCallId: request.toolCallId,
            })),
          }
        : {}),
      usage: run.usage,
      ...cost,
      durationMs,
      ...(run.withdrawn ? { withdrawn: true as const } : {}),
    });
  }
  await session.checkpoint();
  return {
    runId: run.runId,
    ...(run.handoff
      ? { handoffTo: { agentName: run.handoff.target.name, runId: run.handoff.toRunId } }
      : {}),
    stopReason: stop.stopReason,
    text: run.lastText,
    usage: run.usage,
    ...(run.costUsd === undefined ? {} : { costUsd: run.costUsd }),
    pending,
    ...(stop.error ? { error: stop.error } : {}),
  };
}
