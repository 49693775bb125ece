import { describe, expect, it } from 'vitest';
import type { AgentTool } from '../tools/agent-tool.js';
import { collect } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';

/**
 * A tool call's arguments are parsed once, in the model step, and that value
 * travels with the call: to hooks, the approval policy, the paused snapshot
 * and the tool. A JSON Schema tool (no zod schema, so no copy made by
 * validation) gets the very object parsed in the model step; any second
 * parse would hand it a fresh one.
 */
describe('tool-call arguments are parsed once', () => {
  function recordingTool(approval: AgentTool['approval']) {
    const seen: { executed: unknown[]; approvalAsked: unknown[] } = {
      executed: [],
      approvalAsked: [],
    };
    const tool: AgentTool = {
      description: 'Echo a path',
      jsonSchema: { type: 'object', properties: { path: { type: 'string' } } },
      approval:
        approval === 'always'
          ? (input) => {
              seen.approvalAsked.push(input);
              return true;
            }
          : approval,
      execute: (input) => {
        seen.executed.push(input);
        return 'ok';
      },
    };
    return { tool, seen };
  }

  it('runs the tool on the value the model step parsed (the one hooks saw)', async () => {
    const { tool, seen } = recordingTool('never');
    const hookArgs: unknown[] = [];
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'echo', args: { path: '/x' } }] }, { text: 'Done.' }],
      {
        tools: { echo: tool },
        redact: { toolInput: false },
        hooks: { pre_tool_call: ({ args }) => void hookArgs.push(args) },
      },
    );
    const session = await t.agent.createSession();
    const { result } = await collect(session.run('echo'));
    expect(result.stopReason).toBe('completed');
    expect(seen.executed).toEqual([{ path: '/x' }]);
    expect(hookArgs).toHaveLength(1);
    expect(seen.executed[0]).toBe(hookArgs[0]);
  });

  it('resumes an approved call with the stored value, not a re-serialised and re-parsed copy', async () => {
    const { tool, seen } = recordingTool('always');
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'echo', args: { path: '/x' } }] }, { text: 'Done.' }],
      { tools: { echo: tool }, redact: { toolInput: false } },
    );
    const session = await t.agent.createSession();
    const first = await collect(session.run('echo'));
    expect(first.result.stopReason).toBe('awaiting_input');
    await session.respond(first.result.pending[0]!.requestId, { approved: true });
    const second = await collect(session.resume());
    expect(second.result.stopReason).toBe('completed');
    expect(seen.approvalAsked).toEqual([{ path: '/x' }]);
    expect(seen.executed).toEqual([{ path: '/x' }]);
    expect(seen.executed[0]).toBe(seen.approvalAsked[0]);
  });
});
