import {
  readUIMessageStream,
  uiMessageChunkSchema,
  UI_MESSAGE_STREAM_HEADERS as AI_HEADERS,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, loadFixture } from '../../fixtures/index.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import {
  UI_MESSAGE_STREAM_HEADERS,
  createUiMessageStreamAdapter,
  encodeUiMessageChunk,
  toUiMessageChunks,
} from './to-ui-message-stream.js';
import { toUiMessages } from './to-ui-messages.js';

/** Rebuilds the assistant message the way an AI SDK client (useChat) does. */
async function rebuild(chunks: UIMessageChunk[]): Promise<UIMessage[]> {
  const errors: unknown[] = [];
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const snapshots: UIMessage[] = [];
  for await (const message of readUIMessageStream({
    stream,
    onError: (error) => errors.push(error),
    terminateOnError: true,
  })) {
    snapshots.push(structuredClone(message));
  }
  expect(errors).toEqual([]);
  return snapshots;
}

/**
 * Reads a whole chunk stream the way one AI SDK reader does (a `start` with
 * a new message id begins a new message) and returns each message's last
 * snapshot, in order.
 */
async function readMessages(chunks: UIMessageChunk[], message?: UIMessage): Promise<UIMessage[]> {
  const errors: unknown[] = [];
  const byId = new Map<string, UIMessage>();
  for await (const snapshot of readUIMessageStream({
    ...(message ? { message } : {}),
    stream: streamOf(chunks),
    onError: (error) => errors.push(error),
    terminateOnError: true,
  })) {
    byId.set(snapshot.id, structuredClone(snapshot));
  }
  expect(errors).toEqual([]);
  return [...byId.values()];
}

function streamOf(chunks: UIMessageChunk[]): ReadableStream<UIMessageChunk> {
  return new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** Splits a fixture's chunks per run (each run is one UI message stream). */
function perRun(chunks: UIMessageChunk[]): UIMessageChunk[][] {
  const runs: UIMessageChunk[][] = [];
  for (const chunk of chunks) {
    if (chunk.type === 'start') runs.push([]);
    runs.at(-1)?.push(chunk);
  }
  return runs;
}

describe('AI SDK UI message stream adapter', () => {
  it('uses the same headers as ai@6', () => {
    expect(UI_MESSAGE_STREAM_HEADERS).toEqual(AI_HEADERS);
  });

  it.each(FIXTURE_NAMES)('%s: every chunk passes ai@6 uiMessageChunkSchema', async (name) => {
    const schema = uiMessageChunkSchema();
    for (const chunk of toUiMessageChunks(loadFixture(name))) {
      const result = await schema.validate!(chunk);
      expect(result.success, `${chunk.type}: ${JSON.stringify(result)}`).toBe(true);
    }
  });

  it('plain chat: an AI SDK client rebuilds the text and reasoning', async () => {
    const [run] = perRun(toUiMessageChunks(loadFixture('plain-chat')));
    const final = (await rebuild(run!)).at(-1)!;
    expect(final.id).toBe('run_01');
    expect(
      final.parts
        .filter((part) => part.type === 'text')
        .map((part) => (part as { text: string }).text),
    ).toEqual(['Hello, world!']);
    expect(
      final.parts
        .filter((part) => part.type === 'reasoning')
        .map((part) => (part as { text: string }).text),
    ).toEqual(['A greeting is expected.']);
    expect(final.metadata).toMatchObject({ runId: 'run_01', stopReason: 'completed' });
  });

  it('multi-tool: parallel tool parts end as output-available and output-error', async () => {
    const [run] = perRun(toUiMessageChunks(loadFixture('multi-tool')));
    const final = (await rebuild(run!)).at(-1)!;
    const tools = final.parts.filter((part) => part.type === 'dynamic-tool') as Array<{
      toolCallId: string;
      state: string;
      output?: unknown;
      errorText?: string;
    }>;
    expect(tools.map((tool) => [tool.toolCallId, tool.state])).toEqual([
      ['call_01', 'output-available'],
      ['call_02', 'output-error'],
    ]);
    expect(tools[0]!.output).toEqual({ city: 'Paris', tempC: 18, sky: 'cloudy' });
    expect(tools[1]!.errorText).toBe('Weather service timed out');
    expect(final.parts.some((part) => part.type === 'data-switchboard-plan-updated')).toBe(true);
  });

  it('approval: the first run ends with a tool part awaiting approval; the resume run completes it', async () => {
    const [first, second] = perRun(toUiMessageChunks(loadFixture('approval')));
    const paused = (await rebuild(first!)).at(-1)!;
    expect(paused.parts.find((part) => part.type === 'dynamic-tool')).toMatchObject({
      toolCallId: 'call_01',
      state: 'approval-requested',
    });
    expect(second!.some((chunk) => chunk.type === 'finish')).toBe(true);
  });

  it('approval: a reader of the whole stream gets one message whose tool part ends output-available', async () => {
    const messages = await readMessages(toUiMessageChunks(loadFixture('approval')));
    expect(messages.map((message) => message.id)).toEqual(['run_01']);
    const [message] = messages;
    expect(message!.parts.filter((part) => part.type === 'dynamic-tool')).toEqual([
      expect.objectContaining({
        toolCallId: 'call_01',
        toolName: 'remove',
        state: 'output-available',
        input: { path: '/tmp/cache' },
        output: 'removed /tmp/cache',
        approval: { id: 'apr_01' },
      }),
    ]);
    expect(message!.parts).toContainEqual(
      expect.objectContaining({
        type: 'data-switchboard-tool_call-approval_resolved',
        id: 'apr_01',
        data: expect.objectContaining({ data: expect.objectContaining({ approved: true }) }),
      }),
    );
    expect(message!.parts.filter((part) => part.type === 'text').map((part) => part.text)).toEqual([
      'Done: /tmp/cache is gone.',
    ]);
    expect(message!.metadata).toMatchObject({ runId: 'run_02', stopReason: 'completed' });
  });

  it('approval: the resume run alone rebuilds the approved call (it states the paused call again)', async () => {
    const [, resume] = perRun(toUiMessageChunks(loadFixture('approval')));
    expect(resume![0]).toMatchObject({ type: 'start', messageId: 'run_01' });
    const [message] = await readMessages(resume!);
    expect(message!.parts.find((part) => part.type === 'dynamic-tool')).toMatchObject({
      toolCallId: 'call_01',
      state: 'output-available',
      input: { path: '/tmp/cache' },
      approval: { id: 'apr_01' },
    });
  });

  it('approval: a stream that starts at the resume run continues the message the client holds', async () => {
    const events = loadFixture('approval');
    const resumeAt = events.findIndex((event) => event.runId === 'run_02');
    const [paused] = await readMessages(toUiMessageChunks(events.slice(0, resumeAt)));
    // A new adapter, as a server answering useChat's next request would make.
    const chunks = toUiMessageChunks(events.slice(resumeAt));
    // Without the paused run it cannot state the call again: the outcome goes to the part the client has.
    expect(chunks.some((chunk) => chunk.type === 'tool-input-available')).toBe(false);
    const [message] = await readMessages(chunks, paused);
    expect(message!.id).toBe('run_01');
    expect(message!.parts.filter((part) => part.type === 'dynamic-tool')).toEqual([
      expect.objectContaining({
        state: 'output-available',
        input: { path: '/tmp/cache' },
        output: 'removed /tmp/cache',
        approval: { id: 'apr_01' },
      }),
    ]);
  });

  it('approval: an adapter primed with the paused run gives a fresh client the whole tool part', async () => {
    const events = loadFixture('approval');
    const resumeAt = events.findIndex((event) => event.runId === 'run_02');
    const adapter = createUiMessageStreamAdapter();
    for (const event of events.slice(0, resumeAt)) adapter.push(event); // chunks dropped: the client has them
    const chunks = events.slice(resumeAt).flatMap((event) => adapter.push(event));
    const [message] = await readMessages(chunks);
    expect(message!.parts.find((part) => part.type === 'dynamic-tool')).toMatchObject({
      toolName: 'remove',
      state: 'output-available',
      input: { path: '/tmp/cache' },
    });
  });

  it('approval denied: the tool part ends output-denied with its approval', async () => {
    const events: AnyEvent[] = loadFixture('approval').flatMap((event): AnyEvent[] => {
      if (event.type === 'tool_call.approval_resolved')
        return [
          { ...event, data: { approvalId: 'apr_01', toolCallId: 'call_01', approved: false } },
        ];
      if (event.type === 'tool_call.running') return [];
      if (event.type === 'tool_call.completed') {
        const error = { message: 'Denied by the user.', code: 'CORE_TOOL_DENIED' };
        return [{ ...event, data: { toolCallId: 'call_01', status: 'denied', error } }];
      }
      return [event];
    });
    const [message] = await readMessages(toUiMessageChunks(events));
    expect(message!.parts.find((part) => part.type === 'dynamic-tool')).toMatchObject({
      state: 'output-denied',
      approval: { id: 'apr_01' },
    });
  });

  it('a stream that starts mid-run (resumed from a seq) opens the message and its text part', async () => {
    const events = loadFixture('approval');
    const from = events.findIndex((event) => event.type === 'message.delta');
    const chunks = toUiMessageChunks(events.slice(from));
    expect(chunks.slice(0, 3).map((chunk) => chunk.type)).toEqual([
      'start',
      'text-start',
      'text-delta',
    ]);
    const [message] = await readMessages(chunks);
    expect(message!.parts.filter((part) => part.type === 'text').map((part) => part.text)).toEqual([
      'Done: /tmp/cache is gone.',
    ]);
    expect(message!.metadata).toMatchObject({ stopReason: 'completed' });
  });

  it('toUiMessages: a session replay is user and assistant messages in order', async () => {
    const approval = await toUiMessages(loadFixture('approval'));
    expect(approval.map((message) => [message.role, message.id])).toEqual([
      ['user', 'msg_u1'],
      ['assistant', 'run_01'],
    ]);
    expect(approval[0]!.parts).toEqual([{ type: 'text', text: 'Delete /tmp/cache' }]);
    expect(approval[1]!.parts.find((part) => part.type === 'dynamic-tool')).toMatchObject({
      state: 'output-available',
    });

    const retry = await toUiMessages(loadFixture('provider-retry'));
    expect(retry.map((message) => [message.role, message.id])).toEqual([
      ['user', 'msg_u1'],
      ['assistant', 'run_01'],
      ['user', 'msg_u2'],
      ['assistant', 'run_02'],
    ]);

    // A handoff target is a top-level run: its answer is a message of its own.
    const delegation = await toUiMessages(loadFixture('delegation'));
    expect(delegation.map((message) => message.role)).toEqual(['user', 'assistant', 'assistant']);
  });

  it('cancelled: the stream aborts, keeping the partial text', async () => {
    const chunks = toUiMessageChunks(loadFixture('cancelled'));
    expect(chunks.at(-1)).toEqual({ type: 'abort', reason: 'cancelled' });
    const final = (await rebuild(perRun(chunks)[0]!)).at(-1)!;
    const texts = final.parts
      .filter((part) => part.type === 'text')
      .map((part) => (part as { text: string }).text);
    expect(texts).toContain('The repo contains a README');
  });

  it('encodes SSE frames the AI SDK client reads', () => {
    expect(encodeUiMessageChunk({ type: 'text-delta', id: 'm', delta: 'hi' })).toBe(
      'data: {"type":"text-delta","id":"m","delta":"hi"}\n\n',
    );
  });

  it('passes retries on as transient data parts', () => {
    const retries = toUiMessageChunks(loadFixture('provider-retry')).filter(
      (chunk) => chunk.type === 'data-switchboard-generation-retrying',
    );
    expect(retries).toHaveLength(3);
    expect(retries[0]).toMatchObject({ transient: true, data: { data: { delayMs: 20000 } } });
  });

  it('titled: titles are transient data parts (for onData), never message parts', async () => {
    const chunks = toUiMessageChunks(loadFixture('titled'));
    const titles = chunks.filter(
      (chunk) => chunk.type === 'data-switchboard-session-title_updated',
    );
    expect(titles).toEqual([
      expect.objectContaining({
        transient: true,
        data: expect.objectContaining({
          data: { title: 'Three days in Rome', source: 'model' },
        }) as unknown,
      }),
      expect.objectContaining({
        transient: true,
        data: expect.objectContaining({
          data: { title: 'Rome in May', source: 'user' },
        }) as unknown,
      }),
    ]);
    for (const run of perRun(chunks)) {
      const final = (await rebuild(run)).at(-1)!;
      expect(final.parts.some((part) => part.type.includes('title'))).toBe(false);
    }
  });

  it('titled: a stream resumed after run_01 ended starts no message for the title call', () => {
    const input = loadFixture('titled');
    const ended = input.findIndex((event) => event.type === 'run.finished');
    const chunks = toUiMessageChunks(input.slice(ended + 1));
    expect(chunks.filter((chunk) => chunk.type === 'start')).toEqual([
      expect.objectContaining({ messageId: 'run_02' }),
    ]);
  });

  it("names a tool part from the event itself when the call's start is not in the stream", () => {
    const events = loadFixture('multi-tool');
    const run = events.find((event) => event.type === 'run.started')!;
    const from = events.findIndex((event) => event.type === 'tool_call.ready');
    const available = toUiMessageChunks([run, ...events.slice(from)]).filter(
      (chunk) => chunk.type === 'tool-input-available',
    );
    expect(
      available.map((chunk) => chunk.type === 'tool-input-available' && chunk.toolName),
    ).toEqual(['weather', 'weather']);
  });
});
