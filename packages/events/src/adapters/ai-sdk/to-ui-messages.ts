import type { UIMessage, UIMessageChunk } from 'ai';
import type { AnyEvent } from '../../schema/agent-event.js';
import { isKnownEvent } from '../../schema/parse-event.js';
import type { ContentPart } from '../../schema/shared-schemas.js';
import { createUiMessageStreamAdapter } from './to-ui-message-stream.js';

type Entry = { kind: 'user'; message: UIMessage } | { kind: 'assistant'; id: string };

/**
 * A session's conversation as AI SDK UIMessages, e.g. the `messages` a
 * `useChat` client starts from: each run's input (`user.message`) as a user
 * message, followed by the assistant message the run streamed (a paused run
 * and its resume are one message). The assistant messages are rebuilt by
 * `ai`'s own `readUIMessageStream` from {@link createUiMessageStreamAdapter}'s
 * chunks, so they are exactly what a client reading the live stream ends
 * with; `ai` is imported when this is called (the adapter itself needs it
 * for types only). Transient data parts are not kept, as in any client. A
 * stream `ai` cannot read (a bug) rejects with its error.
 */
export async function toUiMessages(events: Iterable<AnyEvent>): Promise<UIMessage[]> {
  const { readUIMessageStream } = await import('ai');
  const adapter = createUiMessageStreamAdapter();
  const chunks: UIMessageChunk[] = [];
  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const out = adapter.push(event);
    chunks.push(...out);
    for (const chunk of out) {
      if (chunk.type !== 'start' || chunk.messageId === undefined || seen.has(chunk.messageId))
        continue;
      seen.add(chunk.messageId);
      entries.push({ kind: 'assistant', id: chunk.messageId });
    }
    if (isKnownEvent(event) && event.type === 'user.message' && event.parentRunId === undefined) {
      const message: UIMessage = {
        id: event.data.messageId,
        role: 'user',
        parts: event.data.parts.flatMap(toUserPart),
      };
      // The run's input comes after its `start`, but is said before the answer.
      const last = entries.at(-1);
      if (last?.kind === 'assistant') entries.splice(-1, 0, { kind: 'user', message });
      else entries.push({ kind: 'user', message });
    }
  }
  chunks.push(...adapter.end());

  // A failed run's `error` chunk reaches onError as a plain error; anything else is a broken stream.
  const failures = new Set(
    chunks.flatMap((chunk) => (chunk.type === 'error' ? [chunk.errorText] : [])),
  );
  const broken: unknown[] = [];
  const assistant = new Map<string, UIMessage>();
  const stream = new ReadableStream<UIMessageChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  // One reader for the whole stream: a `start` with another id begins the next message.
  const onError = (error: unknown) => {
    if (!(error instanceof Error && failures.has(error.message))) broken.push(error);
  };
  for await (const snapshot of readUIMessageStream({ stream, onError }))
    assistant.set(snapshot.id, snapshot);
  if (broken.length > 0) throw broken[0];
  return entries.flatMap((entry): UIMessage[] => {
    if (entry.kind === 'user') return [entry.message];
    const message = assistant.get(entry.id);
    return message && message.parts.length > 0 ? [message] : [];
  });
}

/** A user content part as a UIMessage part, when the AI SDK has one for it. */
function toUserPart(part: ContentPart): UIMessage['parts'] {
  if (part.type === 'text' && typeof part.text === 'string')
    return [{ type: 'text', text: part.text }];
  const url = typeof part.url === 'string' ? part.url : undefined;
  const mediaType = typeof part.mediaType === 'string' ? part.mediaType : undefined;
  if (url !== undefined && mediaType !== undefined) return [{ type: 'file', url, mediaType }];
  return [];
}
