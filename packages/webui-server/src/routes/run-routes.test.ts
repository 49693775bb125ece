import { MemorySessionStore, defineTool } from '@switchboard/agent-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  JSON_HEADERS,
  runEnded,
  startTestServer,
  storedEvents,
  waitForEvent,
  type TestServer,
} from '../test-helpers/test-server.js';
import { startRestartable } from '../test-helpers/restartable.js';

async function newSession(t: TestServer): Promise<string> {
  const response = await t.server.app.inject({ method: 'POST', url: '/api/sessions' });
  const body: { id: string } = response.json();
  return body.id;
}

function postRun(t: TestServer, sessionId: string, body: Record<string, unknown>) {
  return t.server.app.inject({
    method: 'POST',
    url: `/api/sessions/${sessionId}/runs`,
    headers: JSON_HEADERS,
    payload: body,
  });
}

describe('POST /api/sessions/:id/runs', () => {
  it('T03 answers 202 {runId} with the user message already durable; the run completes in the view', async () => {
    const store = new MemorySessionStore();
    // A tool source that is slow to list (an MCP server) delays the moment the message is stored.
    const slowSource = {
      name: 'slow',
      tools: () =>
        new Promise<Record<string, never>>((resolve) => setTimeout(() => resolve({}), 300)),
    };
    await using t = await startTestServer([{ text: ['Hel', 'lo'] }], {
      agent: { store, toolSources: [slowSource] },
    });
    const id = await newSession(t);
    const response = await postRun(t, id, { input: 'hi' });
    expect(response.statusCode).toBe(202);
    const { runId } = response.json();
    expect(runId).toMatch(/^run_/);
    // Durable before the response: in the event log and in the session's transcript.
    const stored = await storedEvents(t.log, id);
    expect(stored.some((event) => event.type === 'user.message')).toBe(true);
    const snapshot = await store.load(id);
    expect(snapshot?.transcript.map((entry) => entry.message)).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
    ]);
    await waitForEvent(t.log, id, runEnded(runId));
    const view = (await t.server.app.inject({ url: `/api/sessions/${id}` })).json();
    expect(view.status).toBe('idle');
    const messages = view.view.items.filter((item: { kind: string }) => item.kind === 'message');
    expect(messages.map((m: { role: string; text: string }) => [m.role, m.text])).toEqual([
      ['user', 'hi'],
      ['assistant', 'Hello'],
    ]);
    expect(view.view.run).toMatchObject({ runId, status: 'finished', stopReason: 'completed' });
    expect(view.headSeq).toBe(view.view.lastSeq);
  });

  it('a retried POST with the same messageId returns the same runId and starts nothing', async () => {
    await using t = await startTestServer([{ text: 'once', delayMs: 20 }, { text: 'twice' }]);
    const id = await newSession(t);
    const [first, second] = await Promise.all([
      postRun(t, id, { input: 'hi', messageId: 'msg-client-1' }),
      postRun(t, id, { input: 'hi', messageId: 'msg-client-1' }),
    ]);
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(second.json().runId).toBe(first.json().runId);
    await waitForEvent(t.log, id, runEnded(first.json().runId));
    const later = await postRun(t, id, { input: 'hi', messageId: 'msg-client-1' });
    expect(later.json().runId).toBe(first.json().runId);
    const stored = await storedEvents(t.log, id);
    expect(stored.filter((event) => event.type === 'run.started')).toHaveLength(1);
    expect(stored.filter((event) => event.type === 'user.message')).toHaveLength(1);
    expect(t.model.callCount).toBe(1);
    // The client's id is the message's id.
    expect(stored.find((event) => event.type === 'user.message')?.data).toMatchObject({
      messageId: 'msg-client-1',
    });
  });

  it('the same messageId is still recognised after a restart (from the transcript)', async () => {
    await using r = await startRestartable([{ text: 'once' }, { text: 'twice' }]);
    const first = await r.boot(0);
    const { id } = (await first.server.app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const post = (app: typeof first.server.app) =>
      app.inject({
        method: 'POST',
        url: `/api/sessions/${id}/runs`,
        payload: { input: 'hi', messageId: 'msg-9' },
      });
    const { runId } = (await post(first.server.app)).json();
    await waitForEvent(r.log, id, runEnded(runId));
    await first.stop();
    const second = await r.boot(1);
    const again = await post(second.server.app);
    expect(again.statusCode).toBe(202);
    expect(again.json().runId).toBe(runId);
    expect(r.model.callCount).toBe(1);
  });

  it('T30 a second run while one is active is 409 CORE_SESSION_BUSY; after it ends a run is accepted', async () => {
    await using t = await startTestServer([
      { text: ['a', 'b', 'c'], delayMs: 150 },
      { text: 'next' },
    ]);
    const id = await newSession(t);
    const { runId } = (await postRun(t, id, { input: 'one' })).json();
    const busy = await postRun(t, id, { input: 'two' });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('CORE_SESSION_BUSY');
    await waitForEvent(t.log, id, runEnded(runId));
    const next = await postRun(t, id, { input: 'two' });
    expect(next.statusCode).toBe(202);
  });

  it('rejects bad input: empty message 400 CORE_EMPTY_INPUT, unknown field 400, missing input 400', async () => {
    await using t = await startTestServer([]);
    const id = await newSession(t);
    const empty = await postRun(t, id, { input: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('CORE_EMPTY_INPUT');
    const missing = await postRun(t, id, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('body.input');
    const extra = await postRun(t, id, { input: 'x', model: 'other' });
    expect(extra.statusCode).toBe(400);
    const badId = await postRun(t, id, { input: 'x', messageId: 'has space' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.message).toContain('body.messageId');
  });

  it('rate-limits run creation per client (429 WEBUI_RATE_LIMITED with Retry-After)', async () => {
    await using t = await startTestServer(() => ({ text: 'ok' }), {
      server: { rateLimit: { runs: { max: 2, timeWindowMs: 60_000 } } },
    });
    const ids = [await newSession(t), await newSession(t), await newSession(t)];
    expect((await postRun(t, ids[0]!, { input: 'a' })).statusCode).toBe(202);
    expect((await postRun(t, ids[1]!, { input: 'b' })).statusCode).toBe(202);
    const limited = await postRun(t, ids[2]!, { input: 'c' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('WEBUI_RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
  });
});

describe('cancel', () => {
  it('T31 cancel then an immediate new run: 200, then 202; the partial answer stays, marked cancelled', async () => {
    await using t = await startTestServer([
      { text: ['The answer ', 'is 4', ' and more'], stallAfterChunks: 2 },
      { text: 'Second answer' },
    ]);
    const id = await newSession(t);
    const { runId } = (await postRun(t, id, { input: 'U1' })).json();
    await waitForEvent(
      t.log,
      id,
      (event) => event.type === 'message.delta' && event.runId === runId,
    );
    const cancel = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/runs/${runId}/cancel`,
    });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toEqual({ runId, cancelled: true });
    const second = await postRun(t, id, { input: 'U2' }); // no wait: the session is idle already
    expect(second.statusCode).toBe(202);
    await waitForEvent(t.log, id, runEnded(second.json().runId));
    const { view } = (await t.server.app.inject({ url: `/api/sessions/${id}` })).json();
    const messages = view.items.filter((item: { kind: string }) => item.kind === 'message');
    expect(
      messages.map((m: { role: string; text: string; status: string }) => [
        m.role,
        m.text,
        m.status,
      ]),
    ).toEqual([
      ['user', 'U1', 'completed'],
      ['assistant', 'The answer ', 'cancelled'],
      ['user', 'U2', 'completed'],
      ['assistant', 'Second answer', 'completed'],
    ]);
    const stored = await storedEvents(t.log, id);
    const firstEnd = stored.filter((event) => runEnded(runId)(event));
    expect(firstEnd).toHaveLength(1); // exactly one terminal event for the cancelled run
    expect(firstEnd[0]!.data).toMatchObject({ stopReason: 'cancelled' });
  });

  it('a run that already ended answers cancelled: false; another run id while one runs is 409', async () => {
    await using t = await startTestServer([
      { text: 'done' },
      { text: ['slow'], stallAfterChunks: 0 },
    ]);
    const id = await newSession(t);
    const { runId } = (await postRun(t, id, { input: 'one' })).json();
    await waitForEvent(t.log, id, runEnded(runId));
    const late = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/runs/${runId}/cancel`,
    });
    expect(late.statusCode).toBe(200);
    expect(late.json()).toEqual({ runId, cancelled: false });
    const { runId: active } = (await postRun(t, id, { input: 'two' })).json();
    const wrong = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/runs/${runId}/cancel`,
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error.code).toBe('WEBUI_RUN_NOT_ACTIVE');
    const right = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/runs/${active}/cancel`,
    });
    expect(right.json()).toEqual({ runId: active, cancelled: true });
  });
});

describe('steer', () => {
  it('T35 while running: 202 runActive, applied at the next tool boundary', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const wait = defineTool({
      description: 'waits',
      inputSchema: z.object({}),
      execute: async () => {
        await gate;
        return 'waited';
      },
    });
    await using t = await startTestServer(
      [{ toolCalls: [{ id: 'c1', name: 'wait', args: {} }] }, { text: 'ok, python' }],
      { agent: { tools: { wait } } },
    );
    const id = await newSession(t);
    const { runId } = (await postRun(t, id, { input: 'go' })).json();
    await waitForEvent(t.log, id, (event) => event.type === 'tool_call.running');
    const steer = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/steer`,
      headers: JSON_HEADERS,
      payload: { text: 'use python' },
    });
    expect(steer.statusCode).toBe(202);
    expect(steer.json()).toMatchObject({ runActive: true });
    release();
    const applied = await waitForEvent(t.log, id, (event) => event.type === 'steer.applied');
    expect(applied.data).toMatchObject({ steerId: steer.json().steerId, mode: 'tool_boundary' });
    await waitForEvent(t.log, id, runEnded(runId));
    expect(JSON.stringify(t.model.requests[1]!.body)).toContain('use python');
  });

  it('without a run: 202 runActive false, and the text joins the next user message; empty text is 400', async () => {
    await using t = await startTestServer([{ text: 'ok' }]);
    const id = await newSession(t);
    const steer = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/steer`,
      headers: JSON_HEADERS,
      payload: { text: 'be brief' },
    });
    expect(steer.statusCode).toBe(202);
    expect(steer.json()).toMatchObject({ runActive: false });
    const { runId } = (await postRun(t, id, { input: 'hello' })).json();
    await waitForEvent(t.log, id, runEnded(runId));
    expect(JSON.stringify(t.model.requests[0]!.body)).toContain('be brief');
    const empty = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/steer`,
      headers: JSON_HEADERS,
      payload: { text: '' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('body.text');
  });
});

describe('requests (approvals and questions)', () => {
  it('T37 approval: the session waits (409 for new runs); the last answer makes the server resume the run', async () => {
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
    const id = await newSession(t);
    const { runId } = (await postRun(t, id, { input: 'deploy it' })).json();
    const requested = await waitForEvent(
      t.log,
      id,
      (event) => event.type === 'tool_call.approval_requested',
    );
    await waitForEvent(t.log, id, runEnded(runId));
    const { approvalId } = requested.data as { approvalId: string };
    const view = (await t.server.app.inject({ url: `/api/sessions/${id}` })).json();
    expect(view.status).toBe('awaiting_input');
    expect(view.view.approvals).toEqual([
      expect.objectContaining({ approvalId, toolName: 'deploy' }),
    ]);
    const blocked = await postRun(t, id, { input: 'something else' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('CORE_SESSION_AWAITING_INPUT');
    const cancelPaused = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/runs/${runId}/cancel`,
    });
    expect(cancelPaused.statusCode).toBe(409);
    expect(cancelPaused.json().error).toMatchObject({
      code: 'WEBUI_RUN_NOT_ACTIVE',
      hint: expect.stringContaining('deny'),
    });
    const neither = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/requests/${approvalId}`,
      headers: JSON_HEADERS,
      payload: { approved: 'yes' },
    });
    expect(neither.statusCode).toBe(400);
    expect(neither.json().error.code).toBe('WEBUI_INVALID_REQUEST');
    const wrongShape = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/requests/${approvalId}`,
      headers: JSON_HEADERS,
      payload: { answer: 'yes' },
    });
    expect(wrongShape.statusCode).toBe(400);
    expect(wrongShape.json().error.code).toBe('CORE_INVALID_RESPONSE');
    const answer = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/requests/${approvalId}`,
      headers: JSON_HEADERS,
      payload: { approved: true },
    });
    expect(answer.statusCode).toBe(200);
    const { resumedRunId } = answer.json();
    expect(resumedRunId).toMatch(/^run_/);
    const end = await waitForEvent(t.log, id, runEnded(resumedRunId));
    expect(end.data).toMatchObject({ stopReason: 'completed' });
    expect(ran).toBe(1);
    const again = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/requests/${approvalId}`,
      headers: JSON_HEADERS,
      payload: { approved: true },
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('CORE_NO_PENDING_REQUEST');
  });

  it('T36 clarify: the answer reaches the tool and the run continues by itself', async () => {
    await using t = await startTestServer([
      {
        toolCalls: [
          { id: 'c1', name: 'ask_user', args: { question: 'Which?', choices: ['a', 'b'] } },
        ],
      },
      { text: 'You chose b.' },
    ]);
    const id = await newSession(t);
    const { runId } = (await postRun(t, id, { input: 'pick one' })).json();
    const asked = await waitForEvent(t.log, id, (event) => event.type === 'clarify.requested');
    const { clarifyId } = asked.data as { clarifyId: string };
    const answer = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/requests/${clarifyId}`,
      headers: JSON_HEADERS,
      payload: { answer: 'b' },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ requestId: clarifyId });
    await waitForEvent(t.log, id, runEnded(runId));
    expect(JSON.stringify(t.model.requests[1]!.body)).toContain('"b"');
  });
});

describe('across a restart', () => {
  it('a pending approval comes back after the server and agent restart, and answering it resumes the run', async () => {
    const deploy = defineTool({
      description: 'deploys',
      inputSchema: z.object({ target: z.string() }),
      approval: 'always',
      execute: () => 'deployed',
    });
    await using r = await startRestartable(
      [
        { toolCalls: [{ id: 'c1', name: 'deploy', args: { target: 'prod' } }] },
        { text: 'Deployed after the restart.' },
      ],
      { tools: { deploy } },
    );
    const first = await r.boot(0);
    const { id } = (await first.server.app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const { runId } = (
      await first.server.app.inject({
        method: 'POST',
        url: `/api/sessions/${id}/runs`,
        payload: { input: 'deploy' },
      })
    ).json();
    await waitForEvent(r.log, id, runEnded(runId));
    await first.stop();

    const second = await r.boot(1);
    const view = (await second.server.app.inject({ url: `/api/sessions/${id}` })).json();
    expect(view.status).toBe('awaiting_input');
    const [approval] = view.view.approvals as Array<{ approvalId: string }>;
    expect(approval).toBeDefined();
    const answer = await second.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/requests/${approval!.approvalId}`,
      payload: { approved: true },
    });
    expect(answer.statusCode).toBe(200);
    const end = await waitForEvent(r.log, id, runEnded(answer.json().resumedRunId));
    expect(end.data).toMatchObject({ stopReason: 'completed' });
  });
});
