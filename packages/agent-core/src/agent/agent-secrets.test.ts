import { inspect } from 'node:util';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { startModelServer } from '@switchboard/testkit';
import { collect, dataOf } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgent } from './agent.js';

/** A configured key that matches no pattern: only the agent's own key list can catch it. */
const KEY = 'cfg-key-0123456789abcdef';
const AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const GITHUB = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const SLACK = 'xoxb-123456789012-abcdefghijkl';
const ENV_VALUE = 'plain-env-value-123';

describe('secrets', () => {
  it('keeps a configured key that a provider echoes in a 401 body out of events, the transcript and the error', async () => {
    await using t = await startTestAgent(
      [
        {
          error: {
            status: 401,
            body: {
              error: {
                message: `Incorrect API key provided: ${KEY}. Access key ${AWS_KEY_ID} is not allowed.`,
                type: 'invalid_request_error',
                code: 'invalid_api_key',
              },
            },
          },
        },
      ],
      { providers: { openaiCompatible: { apiKey: KEY } } },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('hi'));
    expect(result.error?.code).toBe('CORE_PROVIDER_AUTH');
    expect(dataOf<{ error: { message: string } }>(events, 'run.failed').error.message).toContain(
      '[REDACTED]',
    );
    const everything = [
      JSON.stringify(events),
      JSON.stringify(session.snapshot()),
      inspect(result.error, { depth: 10, showHidden: true }),
    ].join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(AWS_KEY_ID);
  });

  it('redacts tool arguments, results and errors before events, hooks, the transcript and the model; the tool gets the real arguments', async () => {
    const received: unknown[] = [];
    const hookArgs: unknown[] = [];
    const lookup = defineTool({
      description: 'Look something up',
      inputSchema: z.object({ query: z.string(), OPENAI_API_KEY: z.string() }),
      execute: (input, context) => {
        received.push(input);
        context.progress({ message: `connecting with ${AWS_KEY_ID}` });
        return { found: `token ${SLACK}`, password: 'hunter2-hunter2' };
      },
    });
    const broken = defineTool({
      description: 'Always fails',
      inputSchema: z.object({}),
      execute: () => {
        throw new Error(`cannot connect with ${AWS_KEY_ID}`);
      },
    });
    await using t = await startTestAgent(
      [
        {
          toolCalls: [
            {
              id: 'c1',
              name: 'lookup',
              args: { query: `repo ${GITHUB}`, OPENAI_API_KEY: ENV_VALUE },
            },
            { id: 'c2', name: 'broken', args: {} },
          ],
        },
        { text: 'done' },
      ],
      {
        tools: { lookup, broken },
        hooks: { post_tool_call: [(context) => void hookArgs.push(context)] },
      },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('go'));
    expect(result.text).toBe('done');
    expect(received).toEqual([{ query: `repo ${GITHUB}`, OPENAI_API_KEY: ENV_VALUE }]);
    expect(dataOf<{ message: string }>(events, 'tool_call.progress').message).toBe(
      'connecting with [REDACTED]',
    );
    // Arguments go out once, whole and redacted, instead of fragment by fragment.
    const deltas = events.filter(
      (event) =>
        event.type === 'tool_call.args_delta' &&
        (event.data as { toolCallId: string }).toolCallId === 'c1',
    );
    expect(deltas).toHaveLength(1);
    expect(JSON.parse((deltas[0]!.data as { delta: string }).delta)).toEqual({
      query: 'repo [REDACTED]',
      OPENAI_API_KEY: '[REDACTED]',
    });
    const everything = [
      JSON.stringify(events),
      JSON.stringify(session.snapshot()),
      JSON.stringify(hookArgs),
      JSON.stringify(t.server.requests[1]!.body), // what the model got back
    ].join('\n');
    for (const secret of [GITHUB, ENV_VALUE, SLACK, 'hunter2-hunter2', AWS_KEY_ID])
      expect(everything, secret).not.toContain(secret);
  });

  it('reports a failed compaction call without the configured key', async () => {
    const reported: Error[] = [];
    await using t = await startTestAgent(
      (request) => {
        const body = request.body as { messages: Array<{ content: unknown }> };
        if (JSON.stringify(body.messages[0]?.content ?? '').startsWith('"Summarise'))
          return { error: { status: 401, body: { error: { message: `bad key ${KEY}` } } } };
        return { text: 'x'.repeat(400) };
      },
      {
        compaction: { contextWindow: 400, threshold: 0.5, keepRecent: 2 },
        providers: { openaiCompatible: { apiKey: KEY } },
        onError: (error) => reported.push(error),
      },
    );
    const session = await t.agent.createSession();
    for (const text of ['one', 'two', 'three']) await collect(session.run(text));
    expect(reported.length).toBeGreaterThan(0);
    const everything = reported.map((error) => inspect(error, { depth: 10 })).join('\n');
    expect(everything).toContain('CORE_PROVIDER_AUTH');
    expect(everything).not.toContain(KEY);
  });

  it('gives a sub-agent its real task but emits the redacted one', async () => {
    await using researchServer = await startModelServer({ script: [{ text: 'Found it.' }] });
    const researcher = createAgent({
      name: 'researcher',
      model: 'openai-compatible:r',
      env: { SWITCHBOARD_BASE_URL: researchServer.baseUrl },
    });
    await using t = await startTestAgent(
      [
        { toolCalls: [{ id: 's1', name: 'research', args: { task: `use ${GITHUB}` } }] },
        { text: 'done' },
      ],
      { tools: { research: researcher.asTool({ description: 'Delegate research' }) } },
    );
    const session = await t.agent.createSession();
    const { events } = await collect(session.run('go'));
    expect(JSON.stringify(researchServer.requests[0]!.body)).toContain(GITHUB);
    expect(JSON.stringify(events)).not.toContain(GITHUB);
    expect(JSON.stringify(session.snapshot())).not.toContain(GITHUB);
  });

  it('redacts user text only when redact.userText is on', async () => {
    const script = [{ text: 'ok' }];
    const text = `my token is ${GITHUB}`;
    {
      await using t = await startTestAgent(script);
      const session = await t.agent.createSession();
      const { events } = await collect(session.run(text));
      expect(JSON.stringify(events)).toContain(GITHUB);
    }
    await using t = await startTestAgent(script, { redact: { userText: true } });
    const session = await t.agent.createSession();
    const { events } = await collect(session.run(text));
    const everything = [
      JSON.stringify(events),
      JSON.stringify(session.snapshot()),
      JSON.stringify(t.server.requests[0]!.body),
    ].join('\n');
    expect(everything).not.toContain(GITHUB);
    expect(everything).toContain('my token is [REDACTED]');
  });

  it('passes tool arguments and results through with redaction off, but still redacts errors', async () => {
    const echo = defineTool({
      description: 'Echo',
      inputSchema: z.object({ value: z.string() }),
      execute: ({ value }) => {
        if (value === 'fail') throw new Error(`bad key ${KEY}`);
        return value;
      },
    });
    await using t = await startTestAgent(
      [
        {
          toolCalls: [
            { id: 'c1', name: 'echo', args: { value: GITHUB } },
            { id: 'c2', name: 'echo', args: { value: 'fail' } },
          ],
        },
        { text: 'done' },
      ],
      {
        tools: { echo },
        redact: { toolInput: false, toolOutput: false, secrets: [KEY] },
      },
    );
    const session = await t.agent.createSession();
    const { events } = await collect(session.run('go'));
    const completed = events
      .filter((event) => event.type === 'tool_call.completed')
      .map((event) => event.data as { output?: unknown; error?: { message: string } });
    expect(completed.map((data) => data.output ?? data.error?.message)).toEqual([
      GITHUB,
      'bad key [REDACTED]',
    ]);
  });
});
