import type { AttachmentLoader } from '../sessions/load-attachments.js';
import type { RunEmitter } from '../loop/run-emitter.js';
import type { RunInput } from '../loop/run-loop.js';
import type { AgentRuntime, RunState, SessionCore } from '../loop/run-state.js';
import { lastUserText } from '../loop/user-input.js';
import { createClarifyTool } from '../tools/built-in/clarify-tool.js';
import { createHandoffTool, handoffToolName } from '../tools/built-in/handoff-tool.js';

/** What {@link createSessionRun} needs: one top-level run of a session. */
export interface SessionRunInit {
  runtime: AgentRuntime;
  session: SessionCore;
  emitter: RunEmitter;
  runId: string;
  /** The session's run number (from `SessionState.beginRun`). */
  turn: number;
  trigger: 'user' | 'resume' | 'handoff' | 'say' | 'reply';
  input: RunInput;
  signal: AbortSignal;
  attachments?: AttachmentLoader;
  handoffFromRunId?: string;
  /** Offer `ask_user` (when the agent's `clarify` option allows it). */
  askUser: boolean;
  instructions?: string;
  maxToolSteps?: number;
  /** A preemptive run's go-ahead (see `RunOptions.preemptive`). */
  confirmed?: Promise<void>;
}

/**
 * The state of a session's own run (not a sub-agent's): the session's model,
 * and the run-local tools, `ask_user` and one transfer tool per handoff target.
 */
export function createSessionRun(init: SessionRunInit): RunState {
  const { runtime, session, input } = init;
  const run: RunState = {
    agent: runtime,
    session,
    runId: init.runId,
    turn: init.turn,
    trigger: init.trigger,
    emitter: init.emitter,
    model: runtime.models.forRun(session.state.snapshot.model),
    signal: init.signal,
    ...(init.attachments ? { attachments: init.attachments } : {}),
    ...(init.handoffFromRunId === undefined ? {} : { handoffFromRunId: init.handoffFromRunId }),
    localTools: {},
    userMessage:
      input.kind === 'user' ? input.text : lastUserText(session.state.snapshot.transcript),
    usage: {},
    costUsd: undefined,
    modelCalls: 0,
    lastText: '',
    nextStepIndex: 0,
    toolSteps: 0,
    ...(init.instructions ? { instructions: init.instructions } : {}),
    ...(init.maxToolSteps === undefined ? {} : { maxToolSteps: init.maxToolSteps }),
    ...(init.confirmed ? { confirmed: init.confirmed } : {}),
  };
  const clarify = runtime.options.clarify;
  if (clarify !== false && init.askUser) run.localTools.ask_user = createClarifyTool(run, clarify);
  for (const target of runtime.options.handoffs)
    run.localTools[handoffToolName(target)] = createHandoffTool(run, target);
  return run;
}
