import { defineTool } from '@switchboard/agent-core';
import { toUiMessages } from '@switchboard/events/ai-sdk';
import {
  DefaultChatTransport,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  readUIMessageStream,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TestChat, sessionTransport, waitUntil } from '../test-helpers/chat-client.js';
import {
  JSON_HEADERS,
  runEnded,
  startTestServer,
  storedEvents,
  waitForEvent,
  type TestServer,
} from '../test-helpers/test-server.js';

async function newSession(base: string): Promise<string> {
  const response = await fetch(`${base}/api/sessions`, { method: 'POST' });
  const body = (await response.json()) as { id: string };
  return body.id;
}

/** What a reader sees of a message: role, id and its text and tool parts. */
function shown(message: UIMessage) {
  return {
    role: message.role,
    parts: message.parts.flatMap((part): Array<Record<string, unknown>> => {
      if (part.type === 'text') return [{ text: part.text }];
      if (part.type === 'dynamic-tool')
        return [{ tool: part.toolName, state: part.state, input: part.input }];
      return [];
    }),
  };
}

function deployTool(onRun: () => void) {
  return defineTool({
    description: 'deploys',
    inputSchema: z.object({ target: z.string() }),
    approval: 'always',
    execute: () => {
      onRun();
      return 'deployed';
    },
  });
}

describe("POST /api/sessions/:id/chat with ai's DefaultChatTransport (useChat's client)", () => {
  it('a message streams its run as one assistant message; the conversation equals toUiMessages of the log', async () => {
    await using t = await startTestServer([{ reasoning: 'think', text: ['Hel', 'lo'] }]);
    const base = await t.server.listen();
    const id = await newSession(base);
    const chat = new TestChat({ id, transport: sessionTransport(base, id) });

    await chat.sendMessage({ text: 'hi' });

    expect(chat.error).toBeUndefined();
    expect(chat.status).toBe('ready');
    expect(chat.messages.map(shown)).toEqual([
      { role: 'user', parts: [{ text: 'hi' }] },
      { role: 'assistant', parts: [{ text: 'Hello' }] },
    ]);
    const events = await storedEvents(t.log, id);
    const run = events.find((event) => event.type === 'run.started')!;
    expect(chat.messages[1]!.id).toBe(run.runId); // the adapter's message id: the run
    // The client's message id is the user message's id, and the server's view is the client's.
    expect(events.find((event) => event.type === 'user.message')?.data).toMatchObject({
      messageId: chat.messages[0]!.id,
    });
    const rebuilt = await toUiMessages(events);
    expect(rebuilt.map((message) => message.id)).toEqual(chat.messages.map((m) => m.id));
    expect(rebuilt.map(shown)).toEqual(chat.messages.map(shown));
    expect(rebuilt[1]!.parts).toEqual(chat.messages[1]!.parts);
  });

  it('the next message continues the session: the model gets the whole conversation', async () => {
    await using t = await startTestServer([{ text: 'First.' }, { text: 'Second.' }]);
    const base = await t.server.listen();
    const id = await newSession(base);
    const chat = new TestChat({ id, transport: sessionTransport(base, id) });
    await chat.sendMessage({ text: 'one' });
    await chat.sendMessage({ text: 'two' });
    expect(chat.messages.map(shown)).toEqual([
      { role: 'user', parts: [{ text: 'one' }] },
      { role: 'assistant', parts: [{ text: 'First.' }] },
      { role: 'user', parts: [{ text: 'two' }] },
      { role: 'assistant', parts: [{ text: 'Second.' }] },
    ]);
    const second = JSON.stringify(t.model.requests[1]!.body);
    expect(second).toContain('First.');
    expect(second).toContain('two');
  });

  it('approval: addToolApprovalResponse answers the request, the server resumes the run, and the same assistant message completes', async () => {
    let ran = 0;
    await using t = await startTestServer(
      [
        { text: 'Deploying.', toolCalls: [{ id: 'c1', name: 'deploy', args: { target: 'prod' } }] },
        { text: 'Deployed.' },
      ],
      { agent: { tools: { deploy: deployTool(() => (ran += 1)) } } },
    );
    const base = await t.server.listen();
    const id = await newSession(base);
    const chat = new TestChat({
      id,
      transport: sessionTransport(base, id),
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    });

    await chat.sendMessage({ text: 'deploy it' });
    const paused = chat.messages.at(-1)!;
    const tool = paused.parts.find((part) => part.type === 'dynamic-tool');
    expect(tool).toMatchObject({ toolName: 'deploy', state: 'approval-requested' });
    const approvalId = tool?.type === 'dynamic-tool' && tool.approval ? tool.approval.id : '';
    const pending = (await t.server.app.inject({ url: `/api/sessions/${id}` })).json();
    expect(pending.view.approvals).toEqual([expect.objectContaining({ approvalId })]);

    await chat.addToolApprovalResponse({ id: approvalId, approved: true });
    await waitUntil(
      () => chat.status === 'ready' && shown(chat.messages.at(-1)!).parts.length === 3,
      'the resumed run to complete the message',
      () =>
        JSON.stringify({
          status: chat.status,
          error: chat.error?.message,
          m: chat.messages.map(shown),
        }),
    );

    expect(chat.error).toBeUndefined();
    expect(ran).toBe(1);
    expect(chat.messages.map(shown)).toEqual([
      { role: 'user', parts: [{ text: 'deploy it' }] },
      {
        role: 'assistant',
        parts: [
          { text: 'Deploying.' },
          { tool: 'deploy', state: 'output-available', input: { target: 'prod' } },
          { text: 'Deployed.' },
        ],
      },
    ]);
    expect(chat.messages[1]!.id).toBe(paused.id); // one message across the pause
    const stored = await storedEvents(t.log, id);
    expect(
      stored.find((event) => event.type === 'tool_call.approval_resolved')?.data,
    ).toMatchObject({ approvalId, approved: true });
    const rebuilt = await toUiMessages(stored);
    expect(rebuilt.map(shown)).toEqual(chat.messages.map(shown));
  });

  it('a denied approval ends the call denied and the run goes on without it', async () => {
    let ran = 0;
    await using t = await startTestServer(
      [
        { toolCalls: [{ id: 'c1', name: 'deploy', args: { target: 'prod' } }] },
        { text: 'Not deployed.' },
      ],
      { agent: { tools: { deploy: deployTool(() => (ran += 1)) } } },
    );
    const base = await t.server.listen();
    const id = await newSession(base);
    const chat = new TestChat({
      id,
      transport: sessionTransport(base, id),
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    });
    await chat.sendMessage({ text: 'deploy it' });
    const tool = chat.messages.at(-1)!.parts.find((part) => part.type === 'dynamic-tool');
    const approvalId = tool?.type === 'dynamic-tool' && tool.approval ? tool.approval.id : '';
    await chat.addToolApprovalResponse({ id: approvalId, approved: false, reason: 'not today' });
    await waitUntil(
      () => chat.status === 'ready' && shown(chat.messages.at(-1)!).parts.length === 2,
      'the resumed run',
    );
    expect(ran).toBe(0);
    expect(chat.messages.map(shown)[1]).toEqual({
      role: 'assistant',
      parts: [
        { tool: 'deploy', state: 'output-denied', input: { target: 'prod' } },
        { text: 'Not deployed.' },
      ],
    });
    const resolved = (await storedEvents(t.log, id)).find(
      (event) => event.type === 'tool_call.approval_resolved',
    );
    expect(resolved?.data).toMatchObject({ approved: false, reason: 'not today' });
  });
});

describe('chat stream heartbeat', () => {
  it('a quiet stream (a slow tool) gets `: ping` comments, which the client ignores', async () => {
    const slow = defineTool({
      description: 'takes a while',
      inputSchema: z.object({}),
      execute: () => new Promise<string>((resolve) => setTimeout(() => resolve('slept'), 400)),
    });
    await using t = await startTestServer(
      [{ toolCalls: [{ id: 'c1', name: 'slow', args: {} }] }, { text: 'Awake.' }],
      { agent: { tools: { slow } }, server: { heartbeatMs: 50 } },
    );
    const base = await t.server.listen();
    const id = await newSession(base);
    // The real transport, with a fetch that keeps a copy of the raw body.
    let raw: Promise<string> | undefined;
    let headers: Headers | undefined;
    const transport = new DefaultChatTransport({
      api: `${base}/api/sessions/${id}/chat`,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const [forClient, copy] = response.body!.tee();
        raw = new Response(copy).text();
        headers = response.headers;
        return new Response(forClient, { status: response.status, headers: response.headers });
      },
    });
    const chat = new TestChat({ id, transport });
    await chat.sendMessage({ text: 'go' });
    expect(headers?.get('content-type')).toBe('text/event-stream');
    expect(headers?.get('connection')).not.toBe('close');
    expect(await raw).toContain(': ping\n\n');
    expect(chat.error).toBeUndefined();
    expect(shown(chat.messages.at(-1)!).parts).toEqual([
      { tool: 'slow', state: 'output-available', input: {} },
      { text: 'Awake.' },
    ]);
  });
});

describe('GET /api/sessions/:id/chat/stream (reconnectToStream)', () => {
  it('a dropped response is resumed: the transport replays the active run from its start and follows it live', async () => {
    await using t = await startTestServer([{ text: ['a', 'b', 'c', 'd', 'e'], delayMs: 120 }]);
    const base = await t.server.listen();
    const id = await newSession(base);
    const transport = sessionTransport(base, id);
    const drop = new AbortController();
    const message: UIMessage = { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'go' }] };
    const first = await transport.sendMessages({
      chatId: id,
      messages: [message],
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: drop.signal,
    });
    const seen: UIMessageChunk[] = [];
    const reader = first.getReader();
    for (;;) {
      const { value } = await reader.read();
      if (value) seen.push(value);
      if (value?.type === 'text-delta') break; // part of the answer arrived, then the connection drops
    }
    drop.abort();
    await reader.cancel().catch(() => {});

    const resumed = await transport.reconnectToStream({ chatId: id });
    expect(resumed).not.toBeNull();
    let last: UIMessage | undefined;
    for await (const snapshot of readUIMessageStream({ stream: resumed! })) last = snapshot;
    expect(shown(last!)).toEqual({ role: 'assistant', parts: [{ text: 'abcde' }] });
    expect(seen[0]).toMatchObject({ type: 'start', messageId: last!.id });
    // The run was not cancelled by the drop.
    const end = await waitForEvent(t.log, id, (event) => event.type === 'run.finished');
    expect(end.data).toMatchObject({ stopReason: 'completed' });
  });

  it("resumeStream() of the Chat: a run started elsewhere (another tab) shows up in this client's messages", async () => {
    await using t = await startTestServer([{ text: ['x', 'y', 'z'], delayMs: 100 }]);
    const base = await t.server.listen();
    const id = await newSession(base);
    const started = await fetch(`${base}/api/sessions/${id}/runs`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ input: 'from another tab' }),
    });
    const { runId } = (await started.json()) as { runId: string };
    const chat = new TestChat({ id, transport: sessionTransport(base, id) });
    await chat.resumeStream();
    expect(chat.error).toBeUndefined();
    expect(chat.messages.map(shown)).toEqual([{ role: 'assistant', parts: [{ text: 'xyz' }] }]);
    expect(chat.messages[0]!.id).toBe(runId);
  });

  it('a paused and resumed run is replayed as the one message it is', async () => {
    await using t = await startTestServer(
      [
        { text: 'Deploying.', toolCalls: [{ id: 'c1', name: 'deploy', args: { target: 'prod' } }] },
        { text: ['Deployed', ' and ', 'checked.'], delayMs: 120 },
      ],
      { agent: { tools: { deploy: deployTool(() => {}) } } },
    );
    const base = await t.server.listen();
    const id = await newSession(base);
    const chat = new TestChat({ id, transport: sessionTransport(base, id) });
    await chat.sendMessage({ text: 'deploy' });
    const tool = chat.messages.at(-1)!.parts.find((part) => part.type === 'dynamic-tool');
    const approvalId = tool?.type === 'dynamic-tool' && tool.approval ? tool.approval.id : '';
    const answer = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/requests/${approvalId}`,
      headers: JSON_HEADERS,
      payload: { approved: true },
    });
    expect(answer.json().resumedRunId).toBeDefined();

    const other = new TestChat({ id: 'another-tab', transport: sessionTransport(base, id) });
    await other.resumeStream();
    expect(other.messages.map(shown)).toEqual([
      {
        role: 'assistant',
        parts: [
          { text: 'Deploying.' },
          { tool: 'deploy', state: 'output-available', input: { target: 'prod' } },
          { text: 'Deployed and checked.' },
        ],
      },
    ]);
    expect(other.messages[0]!.id).toBe(chat.messages.at(-1)!.id);
  });

  it('answers 204 when no run is active (the transport returns null)', async () => {
    await using t = await startTestServer([{ text: 'done' }]);
    const base = await t.server.listen();
    const id = await newSession(base);
    const transport = sessionTransport(base, id);
    expect(await transport.reconnectToStream({ chatId: id })).toBeNull();
    const chat = new TestChat({ id, transport });
    await chat.sendMessage({ text: 'hi' });
    expect(await transport.reconnectToStream({ chatId: id })).toBeNull();
  });
});

describe('chat errors', () => {
  async function post(t: TestServer, id: string, body: unknown) {
    return t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/chat`,
      headers: JSON_HEADERS,
      payload: JSON.stringify(body),
    });
  }
  const user = (text: string, id = 'm1') => ({
    id,
    role: 'user',
    parts: [{ type: 'text', text }],
  });

  it('regenerate is 501, a last message asking for nothing 400, answers nobody waits for 409, bad bodies 400', async () => {
    await using t = await startTestServer([]);
    const { id } = (await t.server.app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const regenerate = await post(t, id, {
      id,
      messages: [user('hi')],
      trigger: 'regenerate-message',
    });
    expect(regenerate.statusCode).toBe(501);
    expect(regenerate.json().error.code).toBe('WEBUI_UNSUPPORTED');
    const assistant = await post(t, id, {
      messages: [{ id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'x' }] }],
    });
    expect(assistant.statusCode).toBe(400);
    expect(assistant.json().error.code).toBe('WEBUI_INVALID_REQUEST');
    const stale = await post(t, id, {
      messages: [
        {
          id: 'a1',
          role: 'assistant',
          parts: [
            {
              type: 'dynamic-tool',
              toolName: 'deploy',
              toolCallId: 'c1',
              state: 'approval-responded',
              input: {},
              approval: { id: 'apr_gone', approved: true },
            },
          ],
        },
      ],
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('WEBUI_NOTHING_TO_ANSWER');
    const empty = await post(t, id, { messages: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('body.messages');
    const blank = await post(t, id, { messages: [user('  ')] });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.code).toBe('CORE_EMPTY_INPUT');
    const unknown = await post(t, 'ses_nope', { messages: [user('hi')] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('CORE_SESSION_NOT_FOUND');
  });

  it('a second message while a run is active is 409 CORE_SESSION_BUSY; a retried message id streams the same run again', async () => {
    await using t = await startTestServer([{ text: ['slow', ' answer'], delayMs: 150 }]);
    const base = await t.server.listen();
    const { id } = (await t.server.app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const first = fetch(`${base}/api/sessions/${id}/chat`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ messages: [user('one', 'msg-1')] }),
    });
    const started = await waitForEvent(t.log, id, (event) => event.type === 'run.started');
    const busy = await post(t, id, { messages: [user('two', 'msg-2')] });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('CORE_SESSION_BUSY');
    const firstText = await (await first).text();
    await waitForEvent(t.log, id, runEnded(started.runId!));
    const retried = await post(t, id, { messages: [user('one', 'msg-1')] });
    expect(retried.statusCode).toBe(200);
    expect(retried.headers['x-vercel-ai-ui-message-stream']).toBe('v1');
    expect(retried.body).toBe(firstText); // the same run, replayed: nothing new started
    expect(t.model.callCount).toBe(1);
    expect(retried.body.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('the chat body has its own limit (chatBodyLimit), above the JSON limit', async () => {
    await using t = await startTestServer([{ text: 'ok' }], {
      server: { bodyLimit: 1000, chatBodyLimit: 5000 },
    });
    const { id } = (await t.server.app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const history = Array.from({ length: 20 }, (_, index) =>
      user(`earlier message ${index}`, `m${index}`),
    );
    const fits = await post(t, id, { messages: history });
    expect(fits.statusCode).toBe(200);
    const tooLarge = await post(t, id, { messages: [user('x'.repeat(6000))] });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('WEBUI_BODY_TOO_LARGE');
  });
});
