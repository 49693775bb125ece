import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { collect, dataOf } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { defineTool } from '../tools/define-tool.js';

/** A titled tool whose schema counts how often it validates a call's input. */
function countingTool(options: { approval?: 'always'; asyncRefinement?: boolean } = {}) {
  const validated: string[] = [];
  const counted = z.object({ path: z.string() }).refine((input) => validated.push(input.path) > 0);
  const tool = defineTool({
    description: 'Read a file',
    inputSchema: options.asyncRefinement ? counted.refine(() => Promise.resolve(true)) : counted,
    kind: 'read',
    title: ({ path }) => `Reading ${path}`,
    execute: ({ path }) => `contents of ${path}`,
    ...(options.approval ? { approval: options.approval } : {}),
  });
  return { tool, validated };
}

describe("a titled tool's input is validated once per run: the title and the call share it", () => {
  it('a call that runs at once', async () => {
    const { tool, validated } = countingTool();
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'read', args: { path: '/a' } }] }, { text: 'Read.' }],
      { tools: { read: tool } },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('read /a'));
    expect(result.text).toBe('Read.');
    expect(dataOf(events, 'tool_call.ready')).toMatchObject({ title: 'Reading /a' });
    expect(dataOf(events, 'tool_call.completed')).toMatchObject({
      title: 'Reading /a',
      status: 'completed',
      output: 'contents of /a',
    });
    expect(validated).toEqual(['/a']);
  });

  it('a schema with an async refinement: the title comes from the one (async) validation', async () => {
    // A title made by validating again synchronously could not run it: the run failed.
    const { tool, validated } = countingTool({ asyncRefinement: true });
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'read', args: { path: '/c' } }] }, { text: 'Read.' }],
      { tools: { read: tool } },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('read /c'));
    expect(result.stopReason).toBe('completed');
    expect(dataOf(events, 'tool_call.completed')).toMatchObject({
      title: 'Reading /c',
      output: 'contents of /c',
    });
    expect(validated).toEqual(['/c']);
  });

  it('input the schema refuses: no title, one validation, the model is told why', async () => {
    const { tool, validated } = countingTool();
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'read', args: { path: 7 } }] }, { text: 'Oops.' }],
      { tools: { read: tool } },
    );
    const session = await t.agent.createSession();
    const { events } = await collect(session.run('read'));
    expect(dataOf(events, 'tool_call.ready')).not.toHaveProperty('title');
    expect(dataOf(events, 'tool_call.completed')).toMatchObject({
      status: 'failed',
      error: { code: 'CORE_TOOL_INVALID_INPUT' },
    });
    expect(validated).toEqual([]); // the object check failed before the refinement
  });

  it('a call paused for approval: once in the run that asks, once in the run that resumes', async () => {
    const { tool, validated } = countingTool({ approval: 'always' });
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'read', args: { path: '/b' } }] }, { text: 'Read.' }],
      { tools: { read: tool } },
    );
    const session = await t.agent.createSession();
    const first = await collect(session.run('read /b'));
    expect(dataOf(first.events, 'tool_call.approval_requested')).toMatchObject({
      title: 'Reading /b',
    });
    expect(validated).toEqual(['/b']);
    await session.respond(first.result.pending[0]!.requestId, { approved: true });
    const second = await collect(session.resume());
    expect(dataOf(second.events, 'tool_call.completed')).toMatchObject({
      title: 'Reading /b',
      output: 'contents of /b',
    });
    expect(validated).toEqual(['/b', '/b']);
  });
});
