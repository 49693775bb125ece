import { z } from 'zod';
import { AgentCoreError } from '../../errors/agent-core-error.js';
import type { TranscriptEntry } from '../../sessions/session-snapshot.js';
import { SessionState } from '../../sessions/session-state.js';
import { createEmptySnapshot } from '../../sessions/transcript.js';
import type { AgentTool } from '../agent-tool.js';
import { addChildUsage } from '../../usage/record-usage.js';
import { RunEmitter } from '../../loop/run-emitter.js';
import type { HandoffTarget, RunState, SessionCore } from '../../loop/run-state.js';

/** Marks a tool as a sub-agent, so the loop runs it as a nested run. */
export const SUBAGENT = Symbol.for('switchboard.agent-core.subagent');

const subagentInput = z.object({
  task: z.string().min(1).describe('The task for the sub-agent, with all the context it needs.'),
});

/** A tool that delegates a task to another agent. */
export type SubagentTool = AgentTool<z.output<typeof subagentInput>, string> & {
  readonly [SUBAGENT]: HandoffTarget;
};

/**
 * Wraps an agent as a tool. The sub-agent works in a nested run of the same
 * session stream (`parentRunId` = the calling run, `parentToolCallId` = the
 * call), with a fresh transcript of its own, and its final answer becomes the
 * tool result.
 */
export function createSubagentTool(target: HandoffTarget, description: string): SubagentTool {
  return {
    [SUBAGENT]: target,
    description,
    inputSchema: subagentInput,
    kind: 'think',
    execute() {
      // Reached only if a sub-agent tool is called outside an agent loop.
      throw new AgentCoreError({
        code: 'CORE_INTERNAL',
        message: 'Sub-agent tools run only inside an agent loop.',
      });
    },
  };
}

/** True for tools made by {@link createSubagentTool}. */
export function isSubagentTool(tool: AgentTool): tool is SubagentTool {
  return SUBAGENT in tool;
}

/** Runs the sub-agent of `tool` for one call of the parent run; resolves to its final text. */
export async function runSubagent(
  parent: RunState,
  tool: SubagentTool,
  call: { task: string; toolCallId: string; signal: AbortSignal },
): Promise<string> {
  const target = tool[SUBAGENT];
  // The child uses its own model, tools and hooks, but the parent's bus, so its
  // events land in the parent session's stream.
  const runtime = { ...target.runtime(), bus: parent.agent.bus };
  const snapshot = createEmptySnapshot({
    sessionId: parent.session.id,
    agentName: target.name,
    now: runtime.now(),
  });
  // One session, one total: the child's calls count in the parent session's totals.
  const state = new SessionState(snapshot, { sharesTotalsWith: parent.session.state });
  const session: SessionCore = {
    id: parent.session.id,
    state,
    checkpoint: () => Promise.resolve(),
    addEntry: (entry) => {
      const full: TranscriptEntry = { ...entry, id: entry.id ?? runtime.newId('msg') };
      state.addEntry(full);
      return full;
    },
    takeSteers: () => [],
    waitForAnswer: () =>
      Promise.reject(
        new AgentCoreError({ code: 'CORE_INTERNAL', message: 'Sub-agents cannot ask the user.' }),
      ),
  };
  const runId = runtime.newId('run');
  // The task is the parent's tool input: the child's model gets it whole (it
  // is the tool), its events and hooks get it redacted like any tool input.
  const { redaction } = parent.agent;
  const shownTask = redaction.toolInput ? redaction.redactor.text(call.task) : call.task;
  const result = await runtime.executeRun(
    {
      agent: runtime,
      session,
      runId,
      turn: parent.turn,
      trigger: 'subagent',
      emitter: new RunEmitter(parent.agent.bus, {
        sessionId: parent.session.id,
        runId,
        parentRunId: parent.runId,
      }),
      // The sub-agent is an agent of its own: its default model, whatever the session uses.
      model: runtime.models.forRun(undefined),
      signal: call.signal,
      parentRunId: parent.runId,
      parentToolCallId: call.toolCallId,
      localTools: {},
      userMessage: shownTask,
      usage: {},
      costUsd: undefined,
      modelCalls: 0,
      lastText: '',
      nextStepIndex: 0,
      toolSteps: 0,
    },
    {
      kind: 'user',
      messageId: runtime.newId('msg'),
      parts: [{ type: 'text', text: shownTask }],
      content: [{ type: 'text', text: call.task }],
      text: shownTask,
      source: 'text',
    },
  );
  // The calling run's total includes what its sub-agent spent.
  addChildUsage(parent, { usage: result.usage, costUsd: result.costUsd });
  if (result.stopReason === 'failed')
    throw (
      result.error ?? new AgentCoreError({ code: 'CORE_INTERNAL', message: 'Sub-agent failed.' })
    );
  if (result.stopReason === 'cancelled')
    throw new AgentCoreError({ code: 'CORE_CANCELLED', message: 'Sub-agent cancelled.' });
  return result.text;
}
