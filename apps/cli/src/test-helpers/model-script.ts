import type { RecordedRequest, ScriptedTurn } from '@switchboard/testkit';

/** The text of the last message of an OpenAI chat request, and its role. */
export function lastMessage(request: RecordedRequest): { role: string; text: string } {
  const body = request.body as { messages?: { role: string; content: unknown }[] };
  const last = body.messages?.at(-1);
  const content = last?.content;
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((part: { text?: string }) => part.text ?? '').join('')
        : '';
  return { role: last?.role ?? '', text };
}

/** Every tool result the request sends back to the model, as text. */
export function toolResults(request: RecordedRequest): string[] {
  const body = request.body as { messages?: { role: string; content: unknown }[] };
  return (body.messages ?? [])
    .filter((message) => message.role === 'tool')
    .map((message) => JSON.stringify(message.content));
}

/**
 * The scripted model of the CLI tests, keyed on the prompt: `hello` answers in
 * three chunks; `run it` asks for `run_command` (which needs approval), then
 * answers `Ran it.` once it has the result; `ask me` asks `Which city?` (Paris
 * or Rome) with `ask_user` and answers `Noted: <answer>`; `slow` streams 40
 * chunks 250 ms apart; `pause` answers after 2 s of silence per chunk; `fail` gets a 401; `loop` calls `list_files` forever.
 */
export function cliModelScript(request: RecordedRequest): ScriptedTurn {
  const { role, text } = lastMessage(request);
  const usage = { inputTokens: 12, outputTokens: 4 };
  if (role === 'tool') {
    const body = JSON.stringify(request.body);
    if (body.includes('loop'))
      return {
        toolCalls: [{ id: `c${request.callIndex}`, name: 'list_files', args: { path: '.' } }],
      };
    if (body.includes('Which city?')) return { text: ['Noted: ', text], usage };
    return { text: ['Ran ', 'it.'], usage };
  }
  if (text.includes('run it'))
    return {
      toolCalls: [{ id: 'call_run', name: 'run_command', args: { command: 'echo from-the-tool' } }],
      usage,
    };
  if (text.includes('ask me'))
    return {
      toolCalls: [
        {
          id: 'call_ask',
          name: 'ask_user',
          args: { question: 'Which city?', choices: ['Paris', 'Rome'] },
        },
      ],
      usage,
    };
  if (text.includes('loop'))
    return { toolCalls: [{ id: 'c0', name: 'list_files', args: { path: '.' } }], usage };
  if (text.includes('pause')) return { text: ['Done waiting.'], delayMs: 2000, usage };
  if (text.includes('slow'))
    return { text: Array.from({ length: 40 }, (_, index) => `part${index} `), delayMs: 250, usage };
  if (text.includes('fail'))
    return { error: { status: 401, body: { error: { message: 'bad key' } } } };
  return { text: ['Hello', ' there', '!'], reasoning: 'Greeting.', usage };
}
