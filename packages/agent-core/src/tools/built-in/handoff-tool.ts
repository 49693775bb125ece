import { z } from 'zod';
import type { AgentTool } from '../agent-tool.js';
import type { HandoffTarget, RunState } from '../../loop/run-state.js';

const handoffInput = z.object({
  reason: z
    .string()
    .optional()
    .describe('Why the conversation moves to this agent, for the record.'),
});

/** Tool names allow letters, digits, `_` and `-` only. */
export const handoffToolName = (target: HandoffTarget): string =>
  `transfer_to_${target.name.replace(/[^a-zA-Z0-9_-]/g, '_')}`.slice(0, 64);

/**
 * A `transfer_to_<agent>` tool. Calling it marks the run for handoff: the
 * run ends after this step with `agent.handoff`, and the session continues
 * with the target agent in a new run that sees the whole transcript.
 */
export function createHandoffTool(
  run: RunState,
  target: HandoffTarget,
): AgentTool<z.output<typeof handoffInput>, string> {
  return {
    description: `Hand the conversation over to the ${target.name} agent, which then answers the user.`,
    inputSchema: handoffInput,
    kind: 'switch_mode',
    execute({ reason }) {
      run.handoff ??= { target, toRunId: run.agent.newId('run'), ...(reason ? { reason } : {}) };
      return `Transferred to ${target.name}.`;
    },
  };
}
