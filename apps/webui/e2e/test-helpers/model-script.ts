import type { ModelScript, RecordedRequest, ScriptedTurn } from '@switchboard/testkit';

/** Text of the last user message of an OpenAI chat request. */
export function lastUserText(request: RecordedRequest): string {
  const body = request.body as { messages?: { role: string; content: unknown }[] };
  const messages = body.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i]!;
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content))
      return message.content
        .map((part: { text?: string }) => (typeof part.text === 'string' ? part.text : ''))
        .join('');
  }
  return '';
}

/** Whether the request's last message is a tool result (the model answers after a tool). */
function afterTool(request: RecordedRequest): boolean {
  const body = request.body as { messages?: { role: string }[] };
  return body.messages?.at(-1)?.role === 'tool';
}

/** Whether the request is a session-title call rather than a turn of the chat. */
function isTitleCall(request: RecordedRequest): boolean {
  const body = request.body as { messages?: { role: string; content: unknown }[] };
  const system = body.messages?.find((message) => message.role === 'system');
  // agent-core's title call: its own instructions, after the first exchange.
  return JSON.stringify(system?.content ?? '').includes('You name conversations');
}

/** Words of a `slow` answer (40 ms apart: about 6 s of streaming). */
export const SLOW_WORDS = 150;

/** A long answer streamed slowly: long enough to cancel, reload or switch away mid-stream. */
export function slowChunks(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `word${index} `);
}

export const MARKDOWN_ANSWER = [
  '## Result\n\n',
  'Here is **bold** text, a [safe link](https://example.com) and ',
  '<img src=x onerror="window.__xss=1"> raw HTML that must stay text.\n\n',
  '| name | value |\n| --- | --- |\n| alpha | 1 |\n| beta | 2 |\n\n',
  '```ts\nconst answer: number = 42;\nconsole.log(answer);\n```\n',
];

/**
 * The e2e model: the user's words pick the turn, so one server serves every
 * test of a file. `slow …` streams slowly (`patient …` slower still); `tool …` calls `lookup`; `deploy …`
 * calls the approval-gated `deploy`; `ask …` asks a question; anything else
 * answers with markdown.
 */
export const e2eScript: ModelScript = (request): ScriptedTurn => {
  if (isTitleCall(request)) return { text: 'A test chat' };
  const text = lastUserText(request);
  if (afterTool(request)) return { text: ['Done: ', 'the tool answered.'], delayMs: 20 };
  if (text.startsWith('slow')) return { text: slowChunks(SLOW_WORDS), delayMs: 40 };
  // Same text, ~20 s: for tests that must open another page while it streams,
  // which can take longer than a `slow` answer on a loaded machine.
  if (text.startsWith('patient')) return { text: slowChunks(SLOW_WORDS), delayMs: 140 };
  if (text.startsWith('fail')) return { error: { status: 429, retryAfterSeconds: 0 } };
  if (text.startsWith('tool'))
    return { toolCalls: [{ id: 'call_lookup', name: 'lookup', args: { word: 'switchboard' } }] };
  if (text.startsWith('deploy'))
    return { toolCalls: [{ id: 'call_deploy', name: 'deploy', args: { target: 'staging' } }] };
  if (text.startsWith('ask'))
    return {
      toolCalls: [
        {
          id: 'call_ask',
          name: 'ask_user',
          args: { question: 'Which colour?', choices: ['red', 'blue'] },
        },
      ],
    };
  return {
    reasoning: ['The user ', 'wants a demo.'],
    text: MARKDOWN_ANSWER,
    delayMs: 30,
    usage: { inputTokens: 120, outputTokens: 48 },
  };
};
