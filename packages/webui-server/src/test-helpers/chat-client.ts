import {
  AbstractChat,
  DefaultChatTransport,
  type ChatInit,
  type ChatState,
  type ChatStatus,
  type UIMessage,
} from 'ai';

/**
 * The state `useChat` keeps in React, as plain fields: the same
 * `ChatState` contract (`@ai-sdk/react`'s `ReactChatState` clones with
 * `structuredClone` too).
 */
class ArrayChatState implements ChatState<UIMessage> {
  status: ChatStatus = 'ready';
  error: Error | undefined = undefined;
  messages: UIMessage[];

  constructor(messages: UIMessage[] = []) {
    this.messages = messages;
  }

  pushMessage = (message: UIMessage) => {
    this.messages = [...this.messages, message];
  };

  popMessage = () => {
    this.messages = this.messages.slice(0, -1);
  };

  replaceMessage = (index: number, message: UIMessage) => {
    this.messages = [...this.messages.slice(0, index), message, ...this.messages.slice(index + 1)];
  };

  snapshot = <T>(thing: T): T => structuredClone(thing);
}

/** ai's `AbstractChat` (what `useChat` runs) over plain state: the real client, without React. */
export class TestChat extends AbstractChat<UIMessage> {
  constructor(init: ChatInit<UIMessage>) {
    super({ ...init, state: new ArrayChatState(init.messages) });
  }
}

/**
 * The transport a `useChat` app points at a session: `DefaultChatTransport`
 * with the chat route, and the reconnect route (the transport's default
 * would be `<api>/<chatId>/stream`).
 */
export function sessionTransport(
  base: string,
  sessionId: string,
  headers: Record<string, string> = {},
): DefaultChatTransport<UIMessage> {
  return new DefaultChatTransport({
    api: `${base}/api/sessions/${sessionId}/chat`,
    headers,
    prepareReconnectToStreamRequest: () => ({
      api: `${base}/api/sessions/${sessionId}/chat/stream`,
      headers,
    }),
  });
}

/** Waits until `condition()` holds (polling; fails after 10 s). */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
