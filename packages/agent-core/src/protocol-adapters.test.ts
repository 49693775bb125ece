import { toUiMessageChunks, toUiMessages } from '@switchboard/events/ai-sdk';
import { readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { collect, recordBus } from './test-helpers/run-helpers.js';
import { startTestAgent } from './test-helpers/test-agent.js';
import { defineTool } from './tools/define-tool.js';

const remove = defineTool({
  description: 'Delete a file',
  inputSchema: z.object({ path: z.string() }),
  approval: 'always',
  execute: ({ path: file }) => `removed ${file}`,
});
const read = defineTool({
  description: 'Read a file',
  inputSchema: z.object({ path: z.string() }),
  execute: ({ path: file }) => `contents of ${file}`,
});

/** Snapshots of one `readUIMessageStream` over `chunks`, last one per message id. */
async function readChunks(chunks: UIMessageChunk[], message?: UIMessage): Promise<UIMessage[]> {
  const errors: unknown[] = [];
  const byId = new Map<string, UIMessage>();
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  for await (const snapshot of readUIMessageStream({
    ...(message ? { message } : {}),
    stream,
    onError: (error) => errors.push(error),
    terminateOnError: true,
  }))
    byId.set(snapshot.id, structuredClone(snapshot));
  expect(errors).toEqual([]);
  return [...byId.values()];
}

describe('a real agent session through the AI SDK adapter (@switchboard/events/ai-sdk)', () => {
  it('pause for approval, resume, another turn: ai rebuilds every message', async () => {
    await using t = await startTestAgent(
      [
        {
          text: 'Cleaning up.',
          toolCalls: [
            { id: 'c1', name: 'remove', args: { path: '/x' } },
            { id: 'c2', name: 'read', args: { path: '/y' } },
          ],
        },
        { text: ['Removed ', '/x.'] },
        { text: 'You are welcome.' },
      ],
      { tools: { remove, read } },
    );
    const events = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    const first = await collect(session.run('clean up'));
    expect(first.result.stopReason).toBe('awaiting_input');
    await session.respond(first.result.pending[0]!.requestId, { approved: true });
    const second = await collect(session.resume());
    expect(second.result.stopReason).toBe('completed');
    await collect(session.run('thanks'));
    await t.agent.bus.flush();

    const messages = await toUiMessages(events);
    expect(messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    const [, answer, , welcome] = messages;
    expect(answer!.id).toBe(first.result.runId); // the resume run continued the paused run's message
    expect(answer!.parts.filter((part) => part.type === 'dynamic-tool')).toEqual([
      expect.objectContaining({
        toolCallId: 'c1',
        toolName: 'remove',
        state: 'output-available',
        input: { path: '/x' },
        output: 'removed /x',
        approval: expect.objectContaining({ id: first.result.pending[0]!.requestId }),
      }),
      expect.objectContaining({ toolCallId: 'c2', state: 'output-available' }),
    ]);
    expect(answer!.parts.flatMap((part) => (part.type === 'text' ? [part.text] : []))).toEqual([
      'Cleaning up.',
      'Removed /x.',
    ]);
    expect(welcome!.parts).toContainEqual(
      expect.objectContaining({ type: 'text', text: 'You are welcome.' }),
    );

    // What a useChat client sees: the paused message, then the resume run's own response.
    const resumeAt = events.findIndex((event) => event.runId === second.result.runId);
    const thanksAt = events.findIndex(
      (event) => event.type === 'run.started' && event.seq > events[resumeAt]!.seq,
    );
    const [paused] = await readChunks(toUiMessageChunks(events.slice(0, resumeAt)));
    const [continued] = await readChunks(
      toUiMessageChunks(events.slice(resumeAt, thanksAt)),
      paused,
    );
    expect(continued!.parts.find((part) => part.type === 'dynamic-tool')).toMatchObject({
      toolCallId: 'c1',
      state: 'output-available',
      input: { path: '/x' },
    });
  });
});
