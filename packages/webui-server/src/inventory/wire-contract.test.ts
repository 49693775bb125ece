// The seed inventory's wire-contract cases (research/001-inventory.md §10 A),
// in our contract's terms: SSE frames of `@switchboard/events` envelopes over
// a real port, read as a browser would. INVENTORY.md maps every case.
import { MemorySessionStore, defineTool } from '@switchboard/agent-core';
import type { AnyEvent } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startListeningServer } from '../test-helpers/listening-server.js';
import { readEvents, readRawFor } from '../test-helpers/sse-client.js';
import {
  dataOf,
  ofType,
  runEnded,
  storedEvents,
  waitForEvent,
} from '../test-helpers/test-server.js';

const ofRun = (events: readonly AnyEvent[], runId: string) =>
  events.filter((event) => event.runId === runId);
const isTerminal = (event: AnyEvent) =>
  event.type === 'run.finished' || event.type === 'run.failed';

describe('inventory A: wire contract', () => {
  it('T01 framing: a delta with a newline and é is one `id:` + one `data:` line, UTF-8 raw, newline escaped', async () => {
    await using s = await startListeningServer([{ text: ['héllo\n', 'bye'] }]);
    const id = await s.newSession();
    const runId = await s.startRun(id, 'hi');
    await waitForEvent(s.t.log, id, runEnded(runId));
    const { text } = await readRawFor(`${s.base}/api/sessions/${id}/events?after=0`, 500);
    const frames = text
      .split('\n\n')
      .filter((frame) => frame.includes('"message.delta"') && frame.includes('héllo'));
    expect(frames).toHaveLength(1);
    const lines = frames[0]!.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^id: \d+$/);
    expect(lines[1]!.startsWith('data: {')).toBe(true);
    expect(lines[1]).toContain('héllo\\n'); // raw é, escaped newline: one data line
    expect(lines[1]).not.toContain('\\u00e9');
    const event = JSON.parse(lines[1]!.slice('data: '.length)) as AnyEvent;
    expect(event).toMatchObject({ type: 'message.delta', data: { delta: 'héllo\n' } });
    expect(lines[0]).toBe(`id: ${event.seq}`);
  });

  it('T03 happy path: run.started, the deltas in order, message.completed, usage, then run.finished last', async () => {
    await using s = await startListeningServer([
      { text: ['Hel', 'lo'], usage: { inputTokens: 12, outputTokens: 2 } },
    ]);
    const id = await s.newSession();
    const runId = await s.startRun(id, 'hi');
    const { events } = await readEvents(`${s.base}/api/sessions/${id}/events?after=0`, {
      until: runEnded(runId),
    });
    const run = ofRun(events, runId);
    const types = run.map((event) => event.type);
    expect(types[0]).toBe('run.started');
    expect(types.at(-1)).toBe('run.finished');
    const deltas = run.filter(ofType('message.delta'));
    expect(deltas.map((event) => event.data.delta)).toEqual(['Hel', 'lo']);
    const completed = run.findIndex((event) => event.type === 'message.completed');
    expect(completed).toBeGreaterThan(run.indexOf(deltas[1]!));
    expect(run.at(-1)!.data).toMatchObject({
      stopReason: 'completed',
      usage: { inputTokens: 12, outputTokens: 2 },
    });
    // Nothing of the run after its terminal event, even in the stored log.
    const stored = ofRun(await storedEvents(s.t.log, id), runId);
    expect(stored.at(-1)!.type).toBe('run.finished');
    const view = (await (await fetch(`${s.base}/api/sessions/${id}`)).json()) as {
      view: { items: { kind: string; role?: string; text?: string }[] };
    };
    const messages = view.view.items.filter((item) => item.kind === 'message');
    expect(messages.map((item) => [item.role, item.text])).toEqual([
      ['user', 'hi'],
      ['assistant', 'Hello'],
    ]);
  });

  it('T04 exactly one terminal event per run, whatever the outcome: completed, failed, cancelled', async () => {
    await using s = await startListeningServer([
      { text: 'fine' },
      { error: { status: 500, body: { error: { message: 'boom' } } } },
      { text: ['slow ', 'and slower'], stallAfterChunks: 2 },
    ]);
    const id = await s.newSession();
    const outcomes: string[] = [];
    for (const input of ['ok', 'fail', 'cancel']) {
      const runId = await s.startRun(id, input);
      if (input === 'cancel') {
        await waitForEvent(s.t.log, id, (e) => e.type === 'message.delta' && e.runId === runId);
        expect((await s.post(`/api/sessions/${id}/runs/${runId}/cancel`)).status).toBe(200);
      }
      const terminal = await waitForEvent(s.t.log, id, runEnded(runId));
      outcomes.push(
        terminal.type === 'run.failed' ? 'failed' : String(dataOf(terminal).stopReason),
      );
    }
    expect(outcomes).toEqual(['completed', 'failed', 'cancelled']);
    // Give a late writer the chance to add a second terminal event, then count.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stored = await storedEvents(s.t.log, id);
    const runIds = [...new Set(stored.flatMap((event) => (event.runId ? [event.runId] : [])))];
    expect(runIds).toHaveLength(3);
    for (const runId of runIds) {
      const run = ofRun(stored, runId);
      expect(run.filter(isTerminal)).toHaveLength(1);
      expect(isTerminal(run.at(-1)!)).toBe(true);
    }
  });

  it('T05 tool events carry the tool name and the whole arguments, matched by id, with a duration', async () => {
    const terminal = defineTool({
      description: 'runs a command',
      inputSchema: z.object({
        command: z.string(),
        cwd: z.string(),
        timeout: z.number(),
        env: z.string(),
        note: z.string(),
      }),
      execute: ({ command }) => `ran ${command}`,
    });
    const args = { command: 'ls', cwd: '/tmp', timeout: 5, env: 'dev', note: 'x'.repeat(200) };
    await using s = await startListeningServer(
      [{ toolCalls: [{ id: 'call_1', name: 'terminal', args }] }, { text: 'done' }],
      { agent: { tools: { terminal } } },
    );
    const id = await s.newSession();
    const runId = await s.startRun(id, 'list');
    const { events } = await readEvents(`${s.base}/api/sessions/${id}/events?after=0`, {
      until: runEnded(runId),
    });
    const tool = events.filter((event) => event.type.startsWith('tool_call.'));
    expect(tool.every((event) => dataOf(event).toolCallId === 'call_1')).toBe(true);
    const started = tool.find((event) => event.type === 'tool_call.started')!;
    expect(started.data).toMatchObject({ toolCallId: 'call_1', toolName: 'terminal' });
    const completed = tool.find((event) => event.type === 'tool_call.completed')!;
    expect(completed.data).toMatchObject({
      toolCallId: 'call_1',
      toolName: 'terminal',
      status: 'completed',
      output: 'ran ls',
    });
    // The contract carries the whole input (200 characters kept); cutting is a rendering choice.
    const input = tool.find((event) => event.type === 'tool_call.ready');
    expect(input?.data).toMatchObject({ input: args });
    const view = (await (await fetch(`${s.base}/api/sessions/${id}`)).json()) as {
      view: { items: { kind: string; id?: string; toolName?: string; durationMs?: number }[] };
    };
    const item = view.view.items.find((entry) => entry.kind === 'tool_call')!;
    expect(item).toMatchObject({ id: 'call_1', toolName: 'terminal', status: 'completed' });
    expect(item.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('T06 parallel calls of one tool: the failure is attributed by id, not to the latest call', async () => {
    let releaseA!: () => void;
    const gateA = new Promise<void>((resolve) => (releaseA = resolve));
    const readFile = defineTool({
      description: 'reads a file',
      inputSchema: z.object({ path: z.string() }),
      execute: async ({ path }) => {
        if (path === 'b') throw new Error('no such file: b');
        await gateA; // a finishes after b
        return `contents of ${path}`;
      },
    });
    await using s = await startListeningServer(
      [
        {
          toolCalls: [
            { id: 'a', name: 'read_file', args: { path: 'a' } },
            { id: 'b', name: 'read_file', args: { path: 'b' } },
          ],
        },
        { text: 'done' },
      ],
      { agent: { tools: { read_file: readFile } } },
    );
    const id = await s.newSession();
    const runId = await s.startRun(id, 'read both');
    await waitForEvent(
      s.t.log,
      id,
      (event) => event.type === 'tool_call.completed' && dataOf(event).toolCallId === 'b',
    );
    releaseA();
    await waitForEvent(s.t.log, id, runEnded(runId));
    const completions = (await storedEvents(s.t.log, id)).filter(ofType('tool_call.completed'));
    expect(completions.map((event) => [event.data.toolCallId, event.data.status])).toEqual([
      ['b', 'failed'],
      ['a', 'completed'],
    ]);
    const view = (await (await fetch(`${s.base}/api/sessions/${id}`)).json()) as {
      view: { items: { kind: string; id?: string; status?: string }[] };
    };
    const calls = view.view.items.filter((item) => item.kind === 'tool_call');
    expect(calls.map((item) => [item.id, item.status])).toEqual([
      ['a', 'completed'],
      ['b', 'failed'],
    ]);
  });

  it('T07 reasoning streams before the text and is kept with the message after a reload', async () => {
    const store = new MemorySessionStore();
    await using s = await startListeningServer([{ reasoning: ['a', 'b'], text: 'ok' }], {
      agent: { store },
    });
    const id = await s.newSession();
    const runId = await s.startRun(id, 'think');
    const { events } = await readEvents(`${s.base}/api/sessions/${id}/events?after=0`, {
      until: runEnded(runId),
    });
    const streamed = events
      .filter((event) => event.type === 'reasoning.delta' || event.type === 'message.delta')
      .map((event) => [event.type, dataOf(event).delta]);
    expect(streamed).toEqual([
      ['reasoning.delta', 'a'],
      ['reasoning.delta', 'b'],
      ['message.delta', 'ok'],
    ]);
    // A reload: the session's view from the server, rebuilt from its log.
    const view = (await (await fetch(`${s.base}/api/sessions/${id}`)).json()) as {
      view: { items: { kind: string; text?: string; status?: string }[] };
    };
    const reasoning = view.view.items.find((item) => item.kind === 'reasoning');
    expect(reasoning).toMatchObject({ text: 'ab', status: 'completed' });
    // And it reaches the transcript the agent keeps, not only the event log.
    const snapshot = await store.load(id);
    const assistant = snapshot?.transcript.find((entry) => entry.message.role === 'assistant');
    expect(assistant?.message.content).toEqual([
      expect.objectContaining({ type: 'reasoning', text: 'ab' }),
      expect.objectContaining({ type: 'text', text: 'ok' }),
    ]);
  });

  it('T08 silence after cancel: nothing of the run follows its cancelled terminal event', async () => {
    await using s = await startListeningServer([
      { text: Array.from({ length: 40 }, (_, i) => `t${i} `), delayMs: 50 },
    ]);
    const id = await s.newSession();
    const runId = await s.startRun(id, 'go on');
    await waitForEvent(s.t.log, id, (e) => e.type === 'message.delta' && e.runId === runId);
    expect((await s.post(`/api/sessions/${id}/runs/${runId}/cancel`)).status).toBe(200);
    const terminal = await waitForEvent(s.t.log, id, runEnded(runId));
    expect(terminal.data).toMatchObject({ stopReason: 'cancelled' });
    // The model would have gone on streaming for ~2 s: wait past several of its chunks.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const run = ofRun(await storedEvents(s.t.log, id), runId);
    expect(run.at(-1)!.seq).toBe(terminal.seq);
    expect(run.some((event) => event.type === 'run.failed')).toBe(false);
  });
});
