import { emptyResponseError } from '../models/provider-errors.js';
import { askModel } from './ask-model.js';
import type { Stop } from './finish-run.js';
import type { ModelStepOutput } from './model-step.js';
import { resumePausedStep } from './resume-paused-step.js';
import type { RunInput, RunState } from './run-state.js';
import {
  appendToolResults,
  cancelUnfinished,
  deliverSteers,
  skipToolCalls,
} from './step-transcript.js';
import { StuckGuard } from './stuck-guard.js';
import { runToolPhase } from './tool-phase.js';
import { untilAborted } from './until-aborted.js';

/**
 * The steps of a run: ask the model, run the tools it called, repeat until
 * it answers without tools or a limit, a cancel, a pause, a handoff or the
 * stuck guard ends the run.
 */
export async function runSteps(run: RunState, input: RunInput): Promise<Stop> {
  const { agent, session, emitter } = run;
  const stuckOptions = agent.options.stuck;
  const stuck = stuckOptions === false ? undefined : new StuckGuard(stuckOptions);
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
    const step = await askModel(run, stepIndex);
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
    if (stuck?.observe(run, step.toolCalls, phase)) return { stopReason: 'stuck' };
  }
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
