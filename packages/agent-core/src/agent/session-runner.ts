import { AgentCoreError } from '../errors/agent-core-error.js';
import { executeRun, type RunInput } from '../loop/run-loop.js';
import type { AgentRuntime, SessionCore } from '../loop/run-state.js';
import type { SessionState } from '../sessions/session-state.js';
import type { SessionTitler } from '../titles/session-titler.js';
import { createRunHandle, type RunHandle, type RunResult } from './run-handle.js';
import { createSessionRun } from './session-run.js';
import type { RunOptions, SessionFeatures } from './session-options.js';
import { ObservedEmitter, type SessionWriter } from './session-writer.js';

/** What a {@link SessionRunner} needs of the session it runs for. */
export interface SessionRunnerHost {
  readonly state: SessionState;
  readonly writer: SessionWriter;
  readonly titler: SessionTitler;
  readonly features: SessionFeatures;
  /** The runtime a run starts with: the agent's, or a handoff target's once one took over. */
  runtime(): AgentRuntime;
  /** A handoff: the session's runs continue with `agentName`, on `runtime`. */
  handOff(runtime: AgentRuntime, agentName: string): void;
  /** The session as the run loop sees it. */
  core(): SessionCore;
}

/** How to start a run: what triggered it, its input and its caller's options. */
export interface RunStart {
  trigger: 'user' | 'resume' | 'handoff' | 'say' | 'reply';
  input: RunInput;
  options: RunOptions;
  /** Set for a handoff target's run: the id its handoff event announced. */
  runId?: string;
  handoffFromRunId?: string;
}

interface ActiveRun {
  runId: string;
  controller: AbortController;
  done: Promise<RunResult>;
}

/**
 * The run bookkeeping of one session: the single run it may have going, how
 * that run starts (abort wiring, the writer watching its stream, a
 * preemptive run's confirm and withdraw), and what follows its end: the
 * target agent's run after a completed handoff, else a title in the
 * background. `AgentSession` checks whether a run may start; this class
 * starts it.
 */
export class SessionRunner {
  readonly #host: SessionRunnerHost;
  #active: ActiveRun | undefined;

  constructor(host: SessionRunnerHost) {
    this.#host = host;
  }

  /** The id of the run going now, if any. */
  get activeRunId(): string | undefined {
    return this.#active?.runId;
  }

  /** The result of the run going now (undefined when idle). */
  get done(): Promise<RunResult> | undefined {
    return this.#active?.done;
  }

  /** Aborts the run going now with `reason`; no-op when idle. */
  abort(reason: unknown): void {
    this.#active?.controller.abort(reason);
  }

  /** Starts a run and makes it the active one. */
  start({
    trigger,
    input,
    options,
    runId = this.#host.runtime().newId('run'),
    handoffFromRunId,
  }: RunStart): RunHandle {
    const host = this.#host;
    const runtime = host.runtime();
    const sessionId = host.state.snapshot.sessionId;
    const controller = new AbortController();
    const signal = options.signal
      ? AbortSignal.any([options.signal, controller.signal])
      : controller.signal;
    const turn = host.state.beginRun(runId, runtime.now());
    let confirm = () => {};
    const confirmed = options.preemptive
      ? new Promise<void>((resolve) => (confirm = resolve))
      : undefined;
    const run = createSessionRun({
      runtime,
      session: host.core(),
      emitter: new ObservedEmitter(runtime.bus, { sessionId, runId }, (event) =>
        host.writer.observe(event),
      ),
      runId,
      turn,
      trigger,
      input,
      signal,
      ...(options.attachments ? { attachments: options.attachments } : {}),
      ...(handoffFromRunId === undefined ? {} : { handoffFromRunId }),
      askUser: host.features.askUser !== false,
      ...(options.instructions ? { instructions: options.instructions } : {}),
      ...(options.maxToolSteps === undefined ? {} : { maxToolSteps: options.maxToolSteps }),
      ...(confirmed ? { confirmed } : {}),
    });
    const done = executeRun(run, input).then((result) => {
      if (this.#active?.runId === runId) this.#active = undefined;
      if (run.handoff && result.stopReason === 'completed') {
        // The conversation continues with the target agent, in the run the handoff event announced.
        // Its events stay on this session's bus, so one stream tells the whole conversation.
        host.handOff(
          { ...run.handoff.target.runtime(), bus: runtime.bus },
          run.handoff.target.name,
        );
        this.start({
          trigger: 'handoff',
          input: { kind: 'continue' },
          options,
          runId: run.handoff.toRunId,
          handoffFromRunId: runId,
        });
      } else if (!host.writer.lost && trigger !== 'say') {
        // In the background, after the terminal event: neither this run nor the next waits for it.
        if (host.features.titles !== false) host.titler.afterRun(result);
      }
      return result;
    });
    this.#active = { runId, controller, done };
    return createRunHandle({
      bus: runtime.bus,
      runId,
      result: done,
      cancel: (reason) => controller.abort(reason),
      confirm,
      withdraw: () => {
        if (this.#active?.runId !== runId) return false;
        run.withdrawn = true;
        confirm();
        controller.abort(
          new AgentCoreError({ code: 'CORE_WITHDRAWN', message: 'The run was withdrawn.' }),
        );
        return true;
      },
    });
  }
}
