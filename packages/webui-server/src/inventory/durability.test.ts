// The seed inventory's durability cases (research/001-inventory.md §10 B) in
// our terms: what the user typed and what the model produced survives cancel
// and errors, in the session store (what the next model call is built from)
// and in the view a reload shows. INVENTORY.md maps every case; the kill -9
// cases run as real processes in apps/webui and agent-core.
import { MemorySessionStore, defineTool, type TranscriptEntry } from '@switchboard/agent-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startListeningServer } from '../test-helpers/listening-server.js';
import { dataOf, runEnded, storedEvents, waitForEvent } from '../test-helpers/test-server.js';

type Listening = Awaited<ReturnType<typeof startListeningServer>>;
type ViewItem = { kind: string; role?: string; text?: string; status?: string; error?: unknown };

const textOf = (entry: TranscriptEntry) =>
  typeof entry.message.content === 'string'
    ? entry.message.content
    : entry.message.content
        .map((part) => ('text' in part && part.type === 'text' ? part.text : ''))
        .join('');

/** role, text and display status of every stored transcript entry. */
async function transcriptOf(store: MemorySessionStore, sessionId: string) {
  const snapshot = await store.load(sessionId);
  return (snapshot?.transcript ?? []).map((entry) => [
    entry.message.role,
    textOf(entry),
    entry.display.status,
  ]);
}

async function viewItems(s: Listening, sessionId: string): Promise<ViewItem[]> {
  const body = (await (await fetch(`${s.base}/api/sessions/${sessionId}`)).json()) as {
    view: { items: ViewItem[] };
  };
  return body.view.items;
}

/** Cancels `runId` over HTTP once `ready` holds for a stored event; resolves with its terminal event. */
async function cancelWhen(
  s: Listening,
  { sessionId, runId }: { sessionId: string; runId: string },
  ready: Parameters<typeof waitForEvent>[2],
) {
  await waitForEvent(s.t.log, sessionId, ready);
  const response = await s.post(`/api/sessions/${sessionId}/runs/${runId}/cancel`);
  expect(response).toMatchObject({ status: 200, body: { cancelled: true } });
  return waitForEvent(s.t.log, sessionId, runEnded(runId));
}

/** The messages of the provider request at `index`, as the model server received them. */
function requestMessages(s: Listening, index: number): Array<Record<string, unknown>> {
  const body = s.t.model.requests[index]!.body as { messages: Array<Record<string, unknown>> };
  return body.messages;
}

describe('inventory B: durability', () => {
  it('T11 while the model streams, its partial answer reaches the store within about a second', async () => {
    const store = new MemorySessionStore();
    await using s = await startListeningServer(
      [{ text: Array.from({ length: 30 }, (_, i) => `w${i} `), delayMs: 100 }],
      { agent: { store } },
    );
    const id = await s.newSession();
    const runId = await s.startRun(id, 'stream slowly');
    await waitForEvent(s.t.log, id, (e) => e.type === 'message.delta' && e.runId === runId);
    // The run streams for ~3 s; its partial text must be stored long before it ends.
    let partial: string | undefined;
    for (let polls = 0; polls < 100 && !partial; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      partial = (await store.load(id))?.activeRun?.partial?.text || undefined;
    }
    expect(partial).toMatch(/^w0 /);
    const ended = (await storedEvents(s.t.log, id)).some(runEnded(runId));
    expect(ended).toBe(false);
    await waitForEvent(s.t.log, id, runEnded(runId));
  });

  it('T12 cancel mid-text: the user message and the partial answer are kept, marked cancelled, and sent next turn', async () => {
    const store = new MemorySessionStore();
    await using s = await startListeningServer(
      [{ text: ['The answer ', 'is 4', ' (never sent)'], stallAfterChunks: 3 }, { text: 'ok' }],
      { agent: { store } },
    );
    const id = await s.newSession();
    const runId = await s.startRun(id, 'U');
    const terminal = await cancelWhen(
      s,
      { sessionId: id, runId: runId },
      (e) => e.type === 'message.delta' && dataOf(e).delta === 'is 4',
    );
    expect(terminal.data).toMatchObject({ stopReason: 'cancelled' });
    expect(await transcriptOf(store, id)).toEqual([
      ['user', 'U', 'complete'],
      ['assistant', 'The answer is 4', 'partial'],
    ]);
    const messages = (await viewItems(s, id)).filter((item) => item.kind === 'message');
    expect(messages.map((item) => [item.role, item.text, item.status])).toEqual([
      ['user', 'U', 'completed'],
      ['assistant', 'The answer is 4', 'cancelled'],
    ]);
    const next = await s.startRun(id, 'go on');
    await waitForEvent(s.t.log, id, runEnded(next));
    expect(JSON.stringify(requestMessages(s, 1))).toContain('The answer is 4');
  });

  it('T13 cancel while only reasoning has streamed: the reasoning is kept with an empty answer', async () => {
    const store = new MemorySessionStore();
    await using s = await startListeningServer(
      [{ reasoning: ['plan', ' more'], text: 'never', stallAfterChunks: 2 }],
      { agent: { store } },
    );
    const id = await s.newSession();
    const runId = await s.startRun(id, 'think first');
    await cancelWhen(
      s,
      { sessionId: id, runId: runId },
      (e) => e.type === 'reasoning.delta' && e.runId === runId,
    );
    const snapshot = await store.load(id);
    const assistant = snapshot!.transcript.find((entry) => entry.message.role === 'assistant');
    expect(assistant?.display.status).toBe('partial');
    expect(assistant?.message.content).toEqual([
      expect.objectContaining({ type: 'reasoning', text: 'plan' }),
    ]);
    const reasoning = (await viewItems(s, id)).find((item) => item.kind === 'reasoning');
    expect(reasoning).toMatchObject({ text: 'plan', status: 'cancelled' });
  });

  it('T14 cancel mid-tool: the call shows cancelled, and the next request has no dangling tool call', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow = defineTool({
      description: 'takes forever',
      inputSchema: z.object({}),
      execute: async (_input, { signal }) => {
        started();
        await new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      },
    });
    await using s = await startListeningServer(
      [
        { text: 'Let me check. ', toolCalls: [{ id: 'c1', name: 'slow', args: {} }] },
        { text: 'ok' },
      ],
      { agent: { tools: { slow } } },
    );
    const id = await s.newSession();
    const runId = await s.startRun(id, 'check');
    await running;
    await cancelWhen(s, { sessionId: id, runId: runId }, (e) => e.type === 'tool_call.running');
    const call = (await viewItems(s, id)).find((item) => item.kind === 'tool_call');
    expect(call).toMatchObject({ status: 'cancelled' });
    const next = await s.startRun(id, 'again');
    await waitForEvent(s.t.log, id, runEnded(next));
    const messages = requestMessages(s, 1);
    // Every tool call sent has its result, and every result its call: a request providers accept.
    const calls = messages.flatMap((m) =>
      Array.isArray(m.tool_calls) ? m.tool_calls.map((c: { id: string }) => c.id) : [],
    );
    const results = messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id);
    expect(results).toEqual(calls);
    expect(JSON.stringify(messages)).toContain('Let me check.');
  });

  it('T15 the typed text is kept once, even after an earlier message it starts like', async () => {
    const store = new MemorySessionStore();
    await using s = await startListeningServer(
      [{ text: 'fine' }, { text: ['Working'], stallAfterChunks: 2 }],
      { agent: { store } },
    );
    const id = await s.newSession();
    const first = await s.startRun(id, 'ok');
    await waitForEvent(s.t.log, id, runEnded(first));
    const second = await s.startRun(id, 'ok please continue');
    await cancelWhen(
      s,
      { sessionId: id, runId: second },
      (e) => e.type === 'message.delta' && e.runId === second,
    );
    const users = (await transcriptOf(store, id)).filter(([role]) => role === 'user');
    expect(users).toEqual([
      ['user', 'ok', 'complete'],
      ['user', 'ok please continue', 'complete'],
    ]);
  });

  it('T16 cancel before anything was produced: the user turn stays, no empty assistant message', async () => {
    const store = new MemorySessionStore();
    await using s = await startListeningServer([{ text: 'never', stallAfterChunks: 0 }], {
      agent: { store },
    });
    const id = await s.newSession();
    const runId = await s.startRun(id, 'hello?');
    await cancelWhen(
      s,
      { sessionId: id, runId: runId },
      (e) => e.type === 'generation.started' && e.runId === runId,
    );
    expect(await transcriptOf(store, id)).toEqual([['user', 'hello?', 'complete']]);
    const messages = (await viewItems(s, id)).filter((item) => item.kind === 'message');
    expect(messages.map((item) => item.role)).toEqual(['user']);
  });

  it('T17 cancel before the first model call: the model is never asked, the user turn is kept', async () => {
    const store = new MemorySessionStore();
    // A tool source slow to list (an MCP server connecting) holds the run before its first model call.
    let listed!: () => void;
    const slowSource = {
      name: 'slow',
      tools: () =>
        new Promise<Record<string, never>>((resolve) => {
          listed = () => resolve({});
        }),
    };
    await using s = await startListeningServer([{ text: 'never' }], {
      agent: { store, toolSources: [slowSource] },
    });
    const id = await s.newSession();
    const posted = s.post(`/api/sessions/${id}/runs`, { input: 'deploy it' });
    const { runId } = await waitForEvent(s.t.log, id, (e) => e.type === 'run.started');
    const response = await s.post(`/api/sessions/${id}/runs/${runId}/cancel`);
    expect(response).toMatchObject({ status: 200, body: { cancelled: true } });
    listed();
    expect(await posted).toMatchObject({ status: 202, body: { runId } });
    const terminal = await waitForEvent(s.t.log, id, runEnded(runId!));
    expect(terminal.data).toMatchObject({ stopReason: 'cancelled' });
    expect(s.t.model.requests).toHaveLength(0);
    expect(await transcriptOf(store, id)).toEqual([['user', 'deploy it', 'complete']]);
  });

  it('T18 a provider error after a delta: run.failed with code and hint; the error is shown, never sent', async () => {
    const store = new MemorySessionStore();
    await using s = await startListeningServer(
      [
        { text: ['Partial'], dropAfterChunks: 2 },
        { error: { status: 429, body: { error: { message: 'rate limit exceeded' } } } },
        { text: 'recovered' },
      ],
      { agent: { store } },
    );
    const id = await s.newSession();
    const first = await s.startRun(id, 'one');
    const dropped = await waitForEvent(s.t.log, id, runEnded(first));
    expect(dropped.type).toBe('run.failed');
    const second = await s.startRun(id, 'two');
    const failed = await waitForEvent(s.t.log, id, runEnded(second));
    expect(failed.type).toBe('run.failed');
    expect(dataOf(failed).error).toMatchObject({
      code: 'CORE_PROVIDER_RATE_LIMIT',
      hint: expect.stringContaining('retry'),
    });
    const errors = (await viewItems(s, id)).filter((item) => item.kind === 'error');
    expect(errors).toHaveLength(2);
    const third = await s.startRun(id, 'three');
    await waitForEvent(s.t.log, id, runEnded(third));
    const sent = JSON.stringify(requestMessages(s, 2));
    expect(sent).not.toContain('rate limit');
    expect(sent).not.toContain('CORE_PROVIDER');
    // The user's words of the failed runs are kept and sent (nothing typed is lost).
    expect(sent).toContain('one');
    expect(sent).toContain('two');
  });

  it('T19 a model that answers nothing: the run fails with CORE_PROVIDER_EMPTY_RESPONSE, never a blank reply', async () => {
    const store = new MemorySessionStore();
    await using s = await startListeningServer([{ text: '' }, { text: 'here now' }], {
      agent: { store },
    });
    const id = await s.newSession();
    const runId = await s.startRun(id, 'anyone?');
    const terminal = await waitForEvent(s.t.log, id, runEnded(runId));
    expect(terminal.type).toBe('run.failed');
    expect(dataOf(terminal).error).toMatchObject({
      code: 'CORE_PROVIDER_EMPTY_RESPONSE',
      hint: expect.any(String),
    });
    expect(await transcriptOf(store, id)).toEqual([['user', 'anyone?', 'complete']]);
    const items = await viewItems(s, id);
    expect(items.map((item) => item.kind)).toEqual(['message', 'error']);
    // Sending again works, and the question is not lost.
    const again = await s.startRun(id, 'hello?');
    await waitForEvent(s.t.log, id, runEnded(again));
    expect(JSON.stringify(requestMessages(s, 1))).toContain('anyone?');
  });
});
