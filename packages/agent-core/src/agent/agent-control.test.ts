import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { collect, dataOf, recordBus, waitFor } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgent } from './agent.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-control-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cancel', () => {
  it('mid-stream keeps the partial answer in the transcript, marked cancelled', async () => {
    await using t = await startTestAgent([
      { text: ['Once ', 'upon ', 'a ', 'time'], stallAfterChunks: 3 },
    ]);
    const session = await t.agent.createSession();
    const run = session.run('tell a story');
    const seen: string[] = [];
    for await (const event of run) {
      seen.push(event.type);
      if (event.type === 'message.delta' && (event.data as { delta: string }).delta === 'upon ')
        session.cancel();
    }
    const result = await run.result;
    expect(result.stopReason).toBe('cancelled');
    expect(result.text).toBe('Once upon ');
    expect(seen).toContain('message.completed');
    const assistant = session.transcript.find((entry) => entry.message.role === 'assistant')!;
    expect(assistant.display.status).toBe('partial');
    expect(JSON.stringify(assistant.message.content)).toContain('Once upon ');
    expect(session.status).toBe('idle');
  });

  it('mid-tool aborts the tool, marks the call cancelled and keeps the conversation valid', async () => {
    let toolSignal: AbortSignal | undefined;
    const slow = defineTool({
      description: 'slow',
      inputSchema: z.object({}),
      execute: (_input, context) =>
        new Promise((resolve) => {
          toolSignal = context.signal;
          context.signal.addEventListener('abort', () => resolve('stopped'));
        }),
    });
    await using t = await startTestAgent(
      [
        { text: 'Working on it.', toolCalls: [{ id: 'c1', name: 'slow', args: {} }] },
        { text: 'next answer' },
      ],
      { tools: { slow } },
    );
    const session = await t.agent.createSession();
    const run = session.run('go');
    await waitFor(() => toolSignal !== undefined);
    session.cancel();
    const { events, result } = await collect(run);
    expect(result.stopReason).toBe('cancelled');
    expect(toolSignal!.aborted).toBe(true);
    expect(dataOf(events, 'tool_call.completed')).toMatchObject({
      toolCallId: 'c1',
      status: 'cancelled',
    });
    expect(dataOf(events, 'run.finished')).toMatchObject({ stopReason: 'cancelled' });
    // Next run: the provider prompt has the partial text and a result for the cancelled call.
    await collect(session.run('continue'));
    const body = t.server.requests[1]!.body as {
      messages: Array<{ role: string; content: unknown; tool_call_id?: string }>;
    };
    expect(body.messages.find((m) => m.role === 'tool')).toMatchObject({ tool_call_id: 'c1' });
    expect(JSON.stringify(body.messages)).toContain('Working on it.');
  });
});

describe('steer', () => {
  it('is injected at the next tool-result boundary', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const wait = defineTool({
      description: 'wait',
      inputSchema: z.object({}),
      execute: async () => (await gate, 'done'),
    });
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'wait', args: {} }] }, { text: 'Paris, Texas it is.' }],
      { tools: { wait } },
    );
    const session = await t.agent.createSession();
    const run = session.run('weather in Paris');
    await waitFor(() => t.server.requests.length === 1);
    const { steerId } = session.steer('I meant Paris, Texas.');
    release();
    const { events } = await collect(run);
    expect(dataOf(events, 'steer.accepted')).toEqual({ steerId, text: 'I meant Paris, Texas.' });
    expect(dataOf(events, 'steer.applied')).toEqual({ steerId, mode: 'tool_boundary' });
    const second = t.server.requests[1]!.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    const roles = second.messages.map((message) => message.role);
    expect(roles.slice(-2)).toEqual(['tool', 'user']);
    expect(JSON.stringify(second.messages.at(-1))).toContain('Paris, Texas');
  });

  it('is queued as the next user message when the run ends first', async () => {
    await using t = await startTestAgent([{ text: ['a', 'b', 'c'], delayMs: 20 }, { text: 'ok' }]);
    const session = await t.agent.createSession();
    const run = session.run('hi');
    await waitFor(() => t.server.requests.length === 1);
    const { steerId } = session.steer('also mention d');
    const { events } = await collect(run);
    expect(dataOf(events, 'steer.applied')).toEqual({ steerId, mode: 'next_message' });
    await collect(session.run('next'));
    const second = t.server.requests[1]!.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(JSON.stringify(second.messages)).toContain('also mention d');
  });
});

describe('approvals', () => {
  const remove = defineTool({
    description: 'Delete a file',
    inputSchema: z.object({ path: z.string() }),
    approval: 'always',
    execute: ({ path: file }) => `removed ${file}`,
  });
  const read = defineTool({
    description: 'Read',
    inputSchema: z.object({ path: z.string() }),
    execute: ({ path: file }) => `contents of ${file}`,
  });

  it('ends the run awaiting input; respond() and resume() continue it in the same process', async () => {
    await using t = await startTestAgent(
      [
        {
          toolCalls: [
            { id: 'c1', name: 'remove', args: { path: '/x' } },
            { id: 'c2', name: 'read', args: { path: '/y' } },
          ],
        },
        { text: 'Removed /x.' },
      ],
      { tools: { remove, read } },
    );
    const session = await t.agent.createSession();
    const first = await collect(session.run('clean up'));
    expect(first.result.stopReason).toBe('awaiting_input');
    expect(first.result.pending).toHaveLength(1);
    expect(dataOf(first.events, 'run.finished')).toMatchObject({
      stopReason: 'awaiting_input',
      interrupts: [{ reason: 'tool_approval', toolCallId: 'c1' }],
    });
    // The call that needed no approval already ran.
    expect(dataOf(first.events, 'tool_call.completed')).toMatchObject({
      toolCallId: 'c2',
      status: 'completed',
    });
    expect(session.status).toBe('awaiting_input');
    expect(() => session.run('another')).toThrow(
      expect.objectContaining({ code: 'CORE_SESSION_AWAITING_INPUT' }),
    );
    expect(() => session.resume()).toThrow(
      expect.objectContaining({ code: 'CORE_PENDING_UNANSWERED' }),
    );
    await session.respond(first.result.pending[0]!.requestId, { approved: true });
    const second = await collect(session.resume());
    expect(second.result).toMatchObject({ stopReason: 'completed', text: 'Removed /x.' });
    expect(dataOf(second.events, 'run.started')).toMatchObject({
      trigger: 'resume',
      resumeOfRunId: first.result.runId,
    });
    expect(dataOf(second.events, 'tool_call.approval_resolved')).toMatchObject({
      toolCallId: 'c1',
      approved: true,
    });
    expect(dataOf(second.events, 'tool_call.completed')).toMatchObject({
      toolCallId: 'c1',
      output: 'removed /x',
    });
  });

  it('survives a process restart: a new agent and store instance resume from SQLite', async () => {
    const file = path.join(dir, 'sessions.db');
    await using t = await startTestAgent(
      [
        { toolCalls: [{ id: 'c1', name: 'remove', args: { path: '/tmp/a' } }] },
        { text: 'Deleted.' },
      ],
      { tools: { remove }, store: new SqliteSessionStore({ path: file }) },
    );
    const session = await t.agent.createSession();
    const first = await collect(session.run('delete /tmp/a'));
    expect(first.result.stopReason).toBe('awaiting_input');
    const requestId = first.result.pending[0]!.requestId;
    await session.idle();
    // "Restart": everything rebuilt from the file, once the old handle's lease has expired
    // (its process is gone; here, a clock a minute ahead says so).
    const store = new SqliteSessionStore({ path: file, now: () => Date.now() + 60_000 });
    const revived = createAgent({
      name: 'tester',
      model: 'openai-compatible:test-model',
      env: { SWITCHBOARD_BASE_URL: t.server.baseUrl },
      tools: { remove },
      store,
    });
    const again = await revived.loadSession(session.id);
    expect(again.status).toBe('awaiting_input');
    expect(again.pendingRequests().map((request) => request.requestId)).toEqual([requestId]);
    await again.respond(requestId, { approved: false, reason: 'not that one' });
    const second = await collect(again.resume());
    expect(second.result.text).toBe('Deleted.');
    expect(dataOf(second.events, 'tool_call.completed')).toMatchObject({
      toolCallId: 'c1',
      status: 'denied',
    });
    const last = t.server.requests[1]!.body as {
      messages: Array<{ role: string; content: string }>;
    };
    expect(JSON.stringify(last.messages)).toContain('not that one');
    await store.close?.();
  });

  it('"always allow" lets the tool run unasked for the rest of the session, until reset', async () => {
    await using t = await startTestAgent(
      [
        { toolCalls: [{ id: 'c1', name: 'remove', args: { path: '/a' } }] },
        { text: 'Removed /a.' },
        { toolCalls: [{ id: 'c2', name: 'remove', args: { path: '/b' } }] },
        { text: 'Removed /b.' },
        { toolCalls: [{ id: 'c3', name: 'remove', args: { path: '/c' } }] },
      ],
      { tools: { remove } },
    );
    const session = await t.agent.createSession();
    const first = await collect(session.run('remove /a'));
    expect(dataOf(first.events, 'tool_call.approval_requested')).toMatchObject({
      options: [
        { optionId: 'allow' },
        { optionId: 'allow_always', kind: 'allow_always' },
        { optionId: 'deny' },
      ],
    });
    await session.respond(first.result.pending[0]!.requestId, { approved: true, always: true });
    const resumed = await collect(session.resume());
    expect(dataOf(resumed.events, 'tool_call.approval_resolved')).toMatchObject({
      approved: true,
      optionId: 'allow_always',
    });
    const second = await collect(session.run('remove /b'));
    expect(second.result).toMatchObject({ stopReason: 'completed', text: 'Removed /b.' });
    expect(second.types).not.toContain('tool_call.approval_requested');
    await session.reset();
    const third = await collect(session.run('remove /c'));
    expect(third.result.stopReason).toBe('awaiting_input');
  });

  it('supports predicate policies', async () => {
    const write = defineTool({
      description: 'write',
      inputSchema: z.object({ path: z.string() }),
      approval: (input) => input.path.startsWith('/etc'),
      execute: ({ path: file }) => `wrote ${file}`,
    });
    await using t = await startTestAgent(
      [
        { toolCalls: [{ id: 'c1', name: 'write', args: { path: '/tmp/ok' } }] },
        { toolCalls: [{ id: 'c2', name: 'write', args: { path: '/etc/passwd' } }] },
      ],
      { tools: { write } },
    );
    const session = await t.agent.createSession();
    const { result, events } = await collect(session.run('write'));
    expect(dataOf(events, 'tool_call.completed')).toMatchObject({
      toolCallId: 'c1',
      status: 'completed',
    });
    expect(result.stopReason).toBe('awaiting_input');
    expect(result.pending[0]).toMatchObject({ toolCallId: 'c2' });
  });
});

describe('clarify (ask_user)', () => {
  it('asks, waits for respond(), and gives the answer to the model', async () => {
    await using t = await startTestAgent([
      {
        toolCalls: [
          {
            id: 'q1',
            name: 'ask_user',
            args: { question: 'Which city?', choices: ['Paris', 'Rome'] },
          },
        ],
      },
      { text: 'Rome is lovely.' },
    ]);
    const session = await t.agent.createSession();
    const run = session.run('plan a trip');
    await waitFor(() => session.pendingRequests().length === 1);
    const [request] = session.pendingRequests();
    expect(request).toMatchObject({
      kind: 'clarify',
      question: 'Which city?',
      choices: ['Paris', 'Rome'],
    });
    await session.respond(request!.requestId, { answer: 'Rome' });
    const { events, result } = await collect(run);
    expect(result.text).toBe('Rome is lovely.');
    expect(dataOf(events, 'clarify.requested')).toMatchObject({
      question: 'Which city?',
      timeoutMs: 120_000,
    });
    expect(dataOf(events, 'clarify.resolved')).toMatchObject({ answer: 'Rome', source: 'user' });
    const second = t.server.requests[1]!.body as {
      messages: Array<{ role: string; content: string }>;
    };
    expect(second.messages.find((message) => message.role === 'tool')?.content).toContain('Rome');
  });

  it('falls back to the documented answer after the timeout', async () => {
    await using t = await startTestAgent(
      [
        { toolCalls: [{ id: 'q1', name: 'ask_user', args: { question: 'Sure?' } }] },
        { text: 'Going ahead.' },
      ],
      { clarify: { timeoutMs: 50, fallbackAnswer: 'No answer; use your judgement.' } },
    );
    const session = await t.agent.createSession();
    const { events } = await collect(session.run('do it'));
    expect(dataOf(events, 'clarify.resolved')).toMatchObject({
      answer: 'No answer; use your judgement.',
      source: 'timeout',
    });
    expect(session.pendingRequests()).toEqual([]);
  });

  it('rejects answers to unknown requests with a stable code', async () => {
    await using t = await startTestAgent([]);
    const session = await t.agent.createSession();
    await expect(session.respond('nope', { answer: 'x' })).rejects.toMatchObject({
      code: 'CORE_NO_PENDING_REQUEST',
    });
  });
});

describe('session lifecycle', () => {
  it('reset() clears the conversation and turn count; close() finalizes; both are events and hooks', async () => {
    const hooks: string[] = [];
    await using t = await startTestAgent([{ text: 'one' }, { text: 'fresh start' }], {
      hooks: {
        on_session_reset: ({ sessionId }) => void hooks.push(`reset:${sessionId}`),
        on_session_finalize: ({ sessionId }) => void hooks.push(`finalize:${sessionId}`),
      },
    });
    const all = recordBus(t.agent.bus);
    const session = await t.agent.createSession({ userId: 'u1' });
    await collect(session.run('remember 42'));
    expect(session.snapshot().turn).toBe(1);
    await session.reset();
    expect(session.transcript).toEqual([]);
    expect(session.snapshot()).toMatchObject({ turn: 0, status: 'idle', userId: 'u1' });
    const { result } = await collect(session.run('what did I say?'));
    expect(result.text).toBe('fresh start');
    expect(JSON.stringify(t.server.requests[1]!.body)).not.toContain('remember 42');
    await session.close();
    await session.close(); // idempotent
    expect(session.status).toBe('closed');
    expect(() => session.run('hello?')).toThrow(
      expect.objectContaining({ code: 'CORE_SESSION_CLOSED' }),
    );
    expect(hooks).toEqual([`reset:${session.id}`, `finalize:${session.id}`]);
    const lifecycle = all
      .filter((event) => event.type.startsWith('session.'))
      .map((event) => `${event.type}:${(event.data as { reason?: string }).reason ?? ''}`);
    expect(lifecycle).toEqual([
      'session.started:',
      'session.ended:reset',
      'session.started:',
      'session.ended:closed',
    ]);
    // The stored snapshot is closed too.
    await expect(t.agent.loadSession(session.id)).resolves.toMatchObject({ status: 'closed' });
  });
});
