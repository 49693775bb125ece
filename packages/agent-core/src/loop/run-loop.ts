import { AgentCoreError } from '../errors/agent-core-error.js';
import type { RunResult } from '../agent/run-handle.js';
import { finishRun, type Stop } from './finish-run.js';
import type { RunInput, RunState } from './run-state.js';
import { runSteps } from './step-loop.js';
import { untilAborted } from './until-aborted.js';

export type { RunInput } from './run-state.js';

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
  return runSteps(run, input);
}
