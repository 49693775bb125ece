import type { ContentPart } from '@switchboard/events';
import { AgentCoreError } from '../errors/agent-core-error.js';
import type { TranscriptEntry } from '../sessions/session-snapshot.js';
import { toUserContent } from '../sessions/user-content.js';
import type { RunInput } from './run-loop.js';

// What a user sends, checked and normalised before a run starts (used by AgentSession).

/** What a user sends: plain text or content parts. */
export type UserInput =
  string | { text?: string; parts?: ContentPart[]; source?: 'text' | 'voice'; messageId?: string };

/** The text of the last user message of a transcript (a resumed run's `userMessage`). */
export function lastUserText(transcript: readonly TranscriptEntry[]): string {
  for (let index = transcript.length - 1; index >= 0; index--) {
    const message = transcript[index]!.message;
    if (message.role === 'user')
      return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  }
  return '';
}

/** `run()` input as the loop takes it: parts redacted once, refused when empty or unsupported. */
export function normaliseInput(
  input: UserInput,
  newId: () => string,
  redactText: (text: string) => string,
): Extract<RunInput, { kind: 'user' }> {
  if (typeof input !== 'string' && (typeof input !== 'object' || input == null))
    throw new AgentCoreError({
      code: 'CORE_INVALID_INPUT',
      message: `run() takes a string or { text } / { parts }, got ${describeValue(input)}.`,
    });
  const given: ContentPart[] =
    typeof input === 'string'
      ? [{ type: 'text', text: input }]
      : (input.parts ?? (input.text !== undefined ? [{ type: 'text', text: input.text }] : []));
  // Redacted here, once, so the event, the transcript and the model all get the same text.
  const parts = given.map((part) =>
    part.type === 'text' && typeof part.text === 'string'
      ? { ...part, text: redactText(part.text) }
      : part,
  );
  const content = toUserContent(parts); // refuses parts no model can take, before anything changes
  const text = content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
  if (
    content.length === 0 ||
    (text.trim() === '' && !content.some((part) => part.type === 'file'))
  ) {
    throw new AgentCoreError({
      code: 'CORE_EMPTY_INPUT',
      message: 'The user message is empty.',
      hint: 'Send some text, or an image or file.',
    });
  }
  return {
    kind: 'user',
    messageId: (typeof input === 'object' && input.messageId) || newId(),
    parts,
    content,
    text,
    source: (typeof input === 'object' && input.source) || 'text',
  };
}

/** What a wrong argument was, for an error message (`null`, `a number`). */
/** Checks a steer's text: a non-empty string (`CORE_INVALID_INPUT`, `CORE_EMPTY_INPUT`). */
export function checkSteerText(text: unknown): asserts text is string {
  if (typeof text !== 'string')
    throw new AgentCoreError({
      code: 'CORE_INVALID_INPUT',
      message: `Steer text must be a string, got ${describeValue(text)}.`,
    });
  if (text.trim() === '')
    throw new AgentCoreError({ code: 'CORE_EMPTY_INPUT', message: 'Steer text is empty.' });
}

export function describeValue(value: unknown): string {
  return value == null ? String(value) : `a value of type ${typeof value}`;
}
