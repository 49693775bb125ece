import { describe, expect, it } from 'vitest';
import type { TranscriptEntry } from './session-snapshot.js';
import { createEmptySnapshot, MISSING_TOOL_RESULT, toProviderPrompt } from './transcript.js';

let next = 0;
const entry = (
  message: TranscriptEntry['message'],
  display: Partial<TranscriptEntry['display']> = {},
): TranscriptEntry => ({
  id: `m${++next}`,
  message,
  display: { createdAt: 0, status: 'complete', ...display },
});
const user = (text: string, display?: Partial<TranscriptEntry['display']>) =>
  entry({ role: 'user', content: [{ type: 'text', text }] }, display);
const callOf = (id: string) => ({
  type: 'tool-call' as const,
  toolCallId: id,
  toolName: 'lookup',
  input: { q: id },
});
const resultOf = (id: string) => ({
  type: 'tool-result' as const,
  toolCallId: id,
  toolName: 'lookup',
  output: { type: 'text' as const, value: `r-${id}` },
});

describe('toProviderPrompt', () => {
  it('puts the system prompt first and sends only provider messages, never display data', () => {
    const prompt = toProviderPrompt('Be brief.', [user('hi', { source: 'voice' })]);
    expect(prompt).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
    ]);
    expect(JSON.stringify(prompt)).not.toContain('voice');
  });

  it('leaves out error entries and archived entries, keeps partial ones', () => {
    const prompt = toProviderPrompt('', [
      user('old', { archived: true }),
      user('summary', { source: 'summary' }),
      entry(
        { role: 'assistant', content: [{ type: 'text', text: 'half an ans' }] },
        { status: 'partial' },
      ),
      entry(
        { role: 'assistant', content: [{ type: 'text', text: 'HTTP 500' }] },
        { status: 'error', error: { code: 'CORE_PROVIDER_UNAVAILABLE', message: 'HTTP 500' } },
      ),
      user('next'),
    ]);
    expect(prompt.map((message) => JSON.stringify(message.content))).toEqual([
      JSON.stringify([{ type: 'text', text: 'summary' }]),
      JSON.stringify([{ type: 'text', text: 'half an ans' }]),
      JSON.stringify([{ type: 'text', text: 'next' }]),
    ]);
  });

  it('closes tool calls left without a result (a crash mid-tool) so providers accept the prompt', () => {
    const prompt = toProviderPrompt('', [
      user('look up a and b'),
      entry({ role: 'assistant', content: [callOf('a'), callOf('b')] }),
      entry({ role: 'tool', content: [resultOf('a')] }),
      user('are you there?'),
    ]);
    expect(prompt.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    expect(prompt[2]).toEqual({
      role: 'tool',
      content: [
        resultOf('a'),
        {
          type: 'tool-result',
          toolCallId: 'b',
          toolName: 'lookup',
          output: { type: 'error-text', value: MISSING_TOOL_RESULT },
        },
      ],
    });
  });

  it('closes dangling calls at the end of the transcript too', () => {
    const prompt = toProviderPrompt('', [
      user('go'),
      entry({ role: 'assistant', content: [callOf('x')] }),
    ]);
    expect(prompt.at(-1)).toMatchObject({ role: 'tool', content: [{ toolCallId: 'x' }] });
  });

  it('drops results whose call is not in the prompt (archived by compaction)', () => {
    const prompt = toProviderPrompt('', [
      entry({ role: 'assistant', content: [callOf('gone')] }, { archived: true }),
      entry({ role: 'tool', content: [resultOf('gone')] }),
      user('hello'),
    ]);
    expect(prompt).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hello' }] }]);
  });

  it('does not change the transcript it reads', () => {
    const transcript = [user('go'), entry({ role: 'assistant', content: [callOf('x')] })];
    const before = JSON.stringify(transcript);
    toProviderPrompt('sys', transcript);
    expect(JSON.stringify(transcript)).toBe(before);
  });
});

describe('createEmptySnapshot', () => {
  it('starts idle at turn 0 with empty totals', () => {
    expect(createEmptySnapshot({ sessionId: 's', agentName: 'a', userId: 'u', now: 5 })).toEqual({
      version: 1,
      sessionId: 's',
      agentName: 'a',
      userId: 'u',
      createdAt: 5,
      updatedAt: 5,
      status: 'idle',
      turn: 0,
      transcript: [],
      pending: [],
      queuedSteers: [],
      totals: { usage: {}, apiCalls: 0 },
    });
  });
});
