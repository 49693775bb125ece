import type { ModelToolCall } from './model-step.js';
import type { RunState } from './run-state.js';
import { StuckDetector } from './stuck-detector.js';
import type { ToolPhaseResult } from './tool-phase.js';

/** The agent's `stuck` options, when detection is on. */
interface StuckOptions {
  repeats: number;
  failedSteps: number;
  maxNudges: number;
}

/**
 * One run's loop-stuck policy: watches each tool step, nudges the model
 * (`feedback.injected`) up to `maxNudges` times, then tells the loop to stop.
 */
export class StuckGuard {
  readonly #detector: StuckDetector;
  readonly #maxNudges: number;
  #nudges = 0;

  constructor(options: StuckOptions) {
    this.#detector = new StuckDetector(options);
    this.#maxNudges = options.maxNudges;
  }

  /** Observes a finished tool step; true when the run must stop as `stuck`. */
  observe(
    run: RunState,
    calls: readonly ModelToolCall[],
    phase: Extract<ToolPhaseResult, { kind: 'done' }>,
  ): boolean {
    const verdict = this.#detector.observe(
      calls.map((call) => ({
        toolName: call.toolName,
        input: call.input,
        failed: phase.outcomes.get(call.toolCallId)?.status !== 'completed',
      })),
    );
    if (!verdict.stuck) return false;
    const nudges = this.#nudges;
    const action = nudges < this.#maxNudges ? 'nudge' : 'stop';
    run.emitter.emit('loop.stuck', {
      reason: verdict.reason,
      action,
      repeats: verdict.repeats,
      nudges,
      ...(verdict.toolName ? { toolName: verdict.toolName } : {}),
      tailExcerpt: run.lastText.slice(-500),
    });
    if (action === 'stop') return true;
    this.#nudges += 1;
    this.#detector.reset();
    const content =
      verdict.reason === 'repeated_tool_call'
        ? `You have called ${verdict.toolName} with the same arguments ${verdict.repeats} times and got the same result. Do not repeat it: try a different approach or answer with what you have.`
        : `Your last ${verdict.repeats} steps all failed. Stop and reconsider: try a different approach or explain the problem to the user.`;
    run.emitter.emit('feedback.injected', { kind: 'loop_nudge', content });
    run.session.addEntry({
      runId: run.runId,
      message: { role: 'user', content: [{ type: 'text', text: content }] },
      display: { createdAt: run.agent.now(), status: 'complete', source: 'nudge' },
    });
    return false;
  }
}
