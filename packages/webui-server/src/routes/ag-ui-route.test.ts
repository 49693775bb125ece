import { HttpAgent, type Message } from '@ag-ui/client';
import { defineTool } from '@switchboard/agent-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { JSON_HEADERS, startTestServer, storedEvents } from '../test-helpers/test-server.js';

/** The conversation as a generic AG-UI client keeps it: role, id, and what it says or calls. */
function summary(messages: Message[]) {
  return messages.map((message) => ({
    role: message.role,
    ...('content' in message && typeof message.content === 'string'
      ? { content: message.content }
      : {}),
    ...('toolCalls' in message && message.toolCalls
      ? {
          toolCalls: message.toolCalls.map((call) => [call.function.name, call.function.arguments]),
        }
      : {}),
    ...('toolCallId' in message ? { toolCallId: message.toolCallId } : {}),
  }));
}

async function newSession(base: string): Promise<string> {
  const response = await fetch(`${base}/api/sessions`, { method: 'POST' });
  return ((await response.json()) as { id: string }).id;
}

describe("POST /api/sessions/:id/ag-ui with @ag-ui/client's HttpAgent", () => {
  const warnings: unknown[][] = [];
  beforeEach(() => {
    warnings.length = 0;
    // The client's verifier throws on protocol errors; its event applier only warns.
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
  });
  afterEach(() => vi.restoreAllMocks());

  it('a run with a tool call: the call, its result and the answer join the conversation; the next message continues it', async () => {
    const lookup = defineTool({
      description: 'looks up',
      inputSchema: z.object({ q: z.string() }),
      execute: ({ q }) => `found ${q}`,
    });
    await using t = await startTestServer(
      [
        { toolCalls: [{ id: 'c1', name: 'lookup', args: { q: 'cats' } }] },
        { text: ['Cats ', 'found.'] },
        { text: 'Still cats.' },
      ],
      { agent: { tools: { lookup } } },
    );
    const base = await t.server.listen();
    const id = await newSession(base);
    const agent = new HttpAgent({ url: `${base}/api/sessions/${id}/ag-ui`, threadId: id });

    agent.addMessage({ id: 'u1', role: 'user', content: 'find cats' });
    await agent.runAgent({ runId: 'client-run-1' });

    expect(summary(agent.messages)).toEqual([
      { role: 'user', content: 'find cats' }, // not repeated by the stream
      { role: 'assistant', toolCalls: [['lookup', '{"q":"cats"}']] },
      { role: 'tool', content: 'found cats', toolCallId: 'c1' },
      { role: 'assistant', content: 'Cats found.' },
    ]);
    const stored = await storedEvents(t.log, id);
    expect(stored.find((event) => event.type === 'user.message')?.data).toMatchObject({
      messageId: 'u1',
    });

    agent.addMessage({ id: 'u2', role: 'user', content: 'and now?' });
    await agent.runAgent({ runId: 'client-run-2' });
    expect(summary(agent.messages).at(-1)).toEqual({ role: 'assistant', content: 'Still cats.' });
    const third = JSON.stringify(t.model.requests[2]!.body);
    expect(third).toContain('Cats found.');
    expect(third).toContain('and now?');
    expect(warnings).toEqual([]);
  });

  it('approval: the run finishes with an interrupt; resume answers it and the resumed run completes the call', async () => {
    let ran = 0;
    const deploy = defineTool({
      description: 'deploys',
      inputSchema: z.object({ target: z.string() }),
      approval: 'always',
      execute: () => {
        ran += 1;
        return 'deployed';
      },
    });
    await using t = await startTestServer(
      [
        { toolCalls: [{ id: 'c1', name: 'deploy', args: { target: 'prod' } }] },
        { text: 'Deployed.' },
      ],
      { agent: { tools: { deploy } } },
    );
    const base = await t.server.listen();
    const id = await newSession(base);
    const agent = new HttpAgent({ url: `${base}/api/sessions/${id}/ag-ui`, threadId: id });
    agent.addMessage({ id: 'u1', role: 'user', content: 'deploy' });

    await agent.runAgent({ runId: 'r1' });
    const interrupts = agent.pendingInterrupts;
    expect(interrupts).toEqual([
      expect.objectContaining({ reason: 'tool_approval', toolCallId: 'c1' }),
    ]);
    expect(ran).toBe(0);

    await agent.runAgent({
      runId: 'r2',
      resume: [{ interruptId: interrupts[0]!.id, status: 'resolved', payload: { approved: true } }],
    });
    expect(agent.pendingInterrupts).toEqual([]);
    expect(ran).toBe(1);
    expect(summary(agent.messages)).toEqual([
      { role: 'user', content: 'deploy' },
      { role: 'assistant', toolCalls: [['deploy', '{"target":"prod"}']] },
      { role: 'tool', content: 'deployed', toolCallId: 'c1' },
      { role: 'assistant', content: 'Deployed.' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('a cancelled interrupt denies the call', async () => {
    let ran = 0;
    const deploy = defineTool({
      description: 'deploys',
      inputSchema: z.object({ target: z.string() }),
      approval: 'always',
      execute: () => {
        ran += 1;
        return 'deployed';
      },
    });
    await using t = await startTestServer(
      [
        { toolCalls: [{ id: 'c1', name: 'deploy', args: { target: 'prod' } }] },
        { text: 'Left alone.' },
      ],
      { agent: { tools: { deploy } } },
    );
    const base = await t.server.listen();
    const id = await newSession(base);
    const agent = new HttpAgent({ url: `${base}/api/sessions/${id}/ag-ui`, threadId: id });
    agent.addMessage({ id: 'u1', role: 'user', content: 'deploy' });
    await agent.runAgent({ runId: 'r1' });
    await agent.runAgent({
      runId: 'r2',
      resume: [{ interruptId: agent.pendingInterrupts[0]!.id, status: 'cancelled' }],
    });
    expect(ran).toBe(0);
    expect(summary(agent.messages).slice(-2)).toEqual([
      { role: 'tool', content: expect.stringMatching(/denied/i), toolCallId: 'c1' },
      { role: 'assistant', content: 'Left alone.' },
    ]);
  });

  it('two approvals: HttpAgent answers both in one resume; a client answering one gets an interrupt naming the other', async () => {
    const deploy = defineTool({
      description: 'deploys',
      inputSchema: z.object({ target: z.string() }),
      approval: 'always',
      execute: ({ target }) => `deployed ${target}`,
    });
    const script = [
      {
        toolCalls: [
          { id: 'c1', name: 'deploy', args: { target: 'a' } },
          { id: 'c2', name: 'deploy', args: { target: 'b' } },
        ],
      },
      { text: 'Both deployed.' },
    ];
    await using t = await startTestServer([...script, ...script], {
      agent: { tools: { deploy } },
    });
    const base = await t.server.listen();
    const id = await newSession(base);
    const agent = new HttpAgent({ url: `${base}/api/sessions/${id}/ag-ui`, threadId: id });
    agent.addMessage({ id: 'u1', role: 'user', content: 'deploy both' });
    await agent.runAgent({ runId: 'r1' });
    expect(agent.pendingInterrupts).toHaveLength(2);
    await agent.runAgent({
      runId: 'r2',
      resume: agent.pendingInterrupts.map((interrupt) => ({
        interruptId: interrupt.id,
        status: 'resolved' as const,
        payload: { approved: true },
      })),
    });
    expect(agent.pendingInterrupts).toEqual([]);
    expect(summary(agent.messages).slice(-5)).toEqual([
      { role: 'assistant', toolCalls: [['deploy', '{"target":"a"}']] },
      { role: 'tool', content: 'deployed a', toolCallId: 'c1' },
      { role: 'assistant', toolCalls: [['deploy', '{"target":"b"}']] },
      { role: 'tool', content: 'deployed b', toolCallId: 'c2' },
      { role: 'assistant', content: 'Both deployed.' },
    ]);
    expect(warnings).toEqual([]);

    // A client that answers one of two: nothing resumes yet, the answer is a run interrupted by the other.
    agent.addMessage({ id: 'u2', role: 'user', content: 'again' });
    await agent.runAgent({ runId: 'r3' });
    const [first, second] = agent.pendingInterrupts;
    const partial = await fetch(`${base}/api/sessions/${id}/ag-ui`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        threadId: id,
        runId: 'r4',
        messages: [],
        resume: [{ interruptId: first!.id, status: 'resolved', payload: { approved: true } }],
      }),
    });
    const frames = (await partial.text())
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: '))
      .map((frame): unknown => JSON.parse(frame.slice('data: '.length)));
    expect(frames).toEqual([
      { type: 'RUN_STARTED', threadId: id, runId: 'r4' },
      {
        type: 'RUN_FINISHED',
        threadId: id,
        runId: 'r4',
        outcome: {
          type: 'interrupt',
          interrupts: [{ id: second!.id, reason: 'tool_approval', toolCallId: 'c2' }],
        },
      },
    ]);
  });

  it('errors before the stream are JSON: no user message 400, a bad resume payload 400, unknown session 404', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // the client logs the failed run
    await using t = await startTestServer([]);
    const { id } = (await t.server.app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const post = (url: string, body: unknown) =>
      t.server.app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload: body as object });
    const noUser = await post(`/api/sessions/${id}/ag-ui`, {
      threadId: id,
      runId: 'r',
      messages: [{ id: 'a', role: 'assistant', content: 'hi' }],
    });
    expect(noUser.statusCode).toBe(400);
    expect(noUser.json().error.code).toBe('WEBUI_INVALID_REQUEST');
    const badPayload = await post(`/api/sessions/${id}/ag-ui`, {
      threadId: id,
      runId: 'r',
      messages: [],
      resume: [{ interruptId: 'apr_1', status: 'resolved', payload: { ok: 1 } }],
    });
    expect(badPayload.statusCode).toBe(400);
    expect(badPayload.json().error.message).toContain('body.resume.0.payload');
    const missing = await post(`/api/sessions/${id}/ag-ui`, { threadId: id, messages: [] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('body.runId');
    const unknown = await post('/api/sessions/ses_nope/ag-ui', {
      threadId: 'x',
      runId: 'r',
      messages: [{ id: 'u', role: 'user', content: 'hi' }],
    });
    expect(unknown.statusCode).toBe(404);

    // The HttpAgent surfaces the status and the error body.
    const base = await t.server.listen();
    const agent = new HttpAgent({ url: `${base}/api/sessions/${id}/ag-ui`, threadId: id });
    await expect(agent.runAgent({ runId: 'r' })).rejects.toMatchObject({
      status: 400,
      payload: { error: { code: 'WEBUI_INVALID_REQUEST' } },
    });
  });
});
