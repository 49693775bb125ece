import { describe, expect, it } from 'vitest';
import { ProviderPromptCache } from './provider-prompt-cache.js';
import type { TranscriptEntry } from './session-snapshot.js';
import { archiveWithSummary, toProviderPrompt } from './transcript.js';

let next = 0;
const entry = (
  message: TranscriptEntry['message'],
  display: Partial<TranscriptEntry['display']> = {},
): TranscriptEntry => ({
  id: `m${++next}`,
  message,
  display: { createdAt: 0, status: 'complete', ...display },
});
const user = (text: string) => entry({ role: 'user', content: [{ type: 'text', text }] });
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
  output: { type: 'text' as const, value: `r-${id} é` },
});
const answer = (text: string) => entry({ role: 'assistant', content: [{ type: 'text', text }] });

/** One turn as the loop writes it: the user, two parallel calls, their results one by one, the answer. */
const turnEntries = (n: number): TranscriptEntry[] => [
  user(`question ${n}`),
  entry({ role: 'assistant', content: [callOf(`a${n}`), callOf(`b${n}`)] }),
  entry({ role: 'tool', content: [resultOf(`a${n}`)] }),
  entry({ role: 'tool', content: [resultOf(`b${n}`)] }),
  answer(`answer ${n}`),
];

const estimate = (system: string, transcript: readonly TranscriptEntry[]) =>
  Math.ceil(JSON.stringify(toProviderPrompt(system, transcript)).length / 4);

describe('ProviderPromptCache', () => {
  it('gives what toProviderPrompt gives after every entry, converting each entry once', () => {
    const cache = new ProviderPromptCache();
    const transcript: TranscriptEntry[] = [];
    for (let n = 1; n <= 30; n++) {
      for (const added of turnEntries(n)) {
        transcript.push(added); // a dangling call, a half-closed step, …: every state on the way
        expect(cache.prompt('Be brief.', transcript)).toEqual(
          toProviderPrompt('Be brief.', transcript),
        );
        expect(cache.prompt('', transcript)).toEqual(toProviderPrompt('', transcript));
        expect(cache.estimateTokens('Be brief.', transcript)).toBe(
          estimate('Be brief.', transcript),
        );
        expect(cache.estimateTokens('', transcript)).toBe(estimate('', transcript));
      }
    }
    // 150 entries, asked about 4 times each: converted once each, never again.
    expect(cache.conversions).toBe(150);
  });

  it('converts only the new entries of a long transcript, however long it is', () => {
    const cache = new ProviderPromptCache();
    const transcript = Array.from({ length: 400 }, (_, n) => turnEntries(n)).flat();
    cache.prompt('sys', transcript);
    const before = cache.conversions;
    transcript.push(...turnEntries(400));
    cache.prompt('sys', transcript);
    cache.estimateTokens('sys', transcript);
    cache.prompt('', transcript);
    expect(cache.conversions - before).toBe(5);
  });

  it('starts over once invalidated after a compaction archived entries and inserted its summary', () => {
    const cache = new ProviderPromptCache();
    const transcript = [...turnEntries(1), ...turnEntries(2), ...turnEntries(3)];
    cache.prompt('sys', transcript);
    transcript.push(...turnEntries(4));
    // As compaction does (archiveWithSummary), here after the converted prefix
    // ends: the summary lands after every converted entry, so only the
    // session's invalidate() can tell their flags changed.
    archiveWithSummary(transcript, {
      archived: transcript.slice(0, 16),
      summary: user('Summary of the earlier conversation: …'),
      firstKept: transcript[16]!,
    });
    cache.invalidate();
    expect(cache.prompt('sys', transcript)).toEqual(toProviderPrompt('sys', transcript));
    expect(cache.estimateTokens('sys', transcript)).toBe(estimate('sys', transcript));
    expect(cache.conversions).toBe(15 + 21); // once before, once whole after
  });

  it('notices entries inserted or removed before the end, and a replaced transcript', () => {
    const cache = new ProviderPromptCache();
    const transcript = [...turnEntries(1), ...turnEntries(2)];
    cache.prompt('', transcript);
    transcript.splice(5, 0, user('inserted'));
    expect(cache.prompt('', transcript)).toEqual(toProviderPrompt('', transcript));
    transcript.splice(0, 5);
    expect(cache.prompt('', transcript)).toEqual(toProviderPrompt('', transcript));
    const reset = [user('fresh start')];
    expect(cache.prompt('', reset)).toEqual(toProviderPrompt('', reset));
    expect(cache.conversions).toBe(10 + 11 + 6 + 1);
  });

  it('hands out a new array each time: changing one does not change the next', () => {
    const cache = new ProviderPromptCache();
    const transcript = turnEntries(1);
    const first = cache.prompt('sys', transcript);
    first.push({ role: 'user', content: [{ type: 'text', text: 'extra' }] });
    first[1] = { role: 'user', content: [{ type: 'text', text: 'swapped' }] };
    expect(cache.prompt('sys', transcript)).toEqual(toProviderPrompt('sys', transcript));
  });
});
