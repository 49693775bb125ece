import { describe, expect, it } from 'vitest';
import { loadFixture } from '../fixtures/index.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { toMarkdown } from './to-markdown.js';

function event(seq: number, type: string, data: unknown): AnyEvent {
  return { v: 1, type, seq, ts: 1000 + seq, sessionId: 's', runId: 'r', data };
}

describe('toMarkdown', () => {
  it('plain-chat: title, the user message, reasoning as a quote and the answer', () => {
    expect(toMarkdown(loadFixture('plain-chat'))).toBe(
      [
        '# Greeting',
        '**User:**\n\nSay hello',
        '> _Reasoning:_ A greeting is expected.',
        '**Assistant:**\n\nHello, world!',
      ].join('\n\n') + '\n',
    );
    expect(toMarkdown(loadFixture('plain-chat'), { reasoning: false })).not.toContain('Reasoning');
  });

  it('multi-tool: tool calls with arguments and results in fenced blocks, errors with codes', () => {
    const md = toMarkdown(loadFixture('multi-tool'));
    expect(md).toContain('**Tool call** `weather` (completed, 320 ms)');
    expect(md).toContain('Arguments:\n```json\n{\n  "city": "Paris"\n}\n```');
    expect(md).toContain(
      'Result:\n```json\n{\n  "city": "Paris",\n  "tempC": 18,\n  "sky": "cloudy"\n}\n```',
    );
    expect(md).toContain('**Tool call** `weather` (failed, 5000 ms)');
    expect(md).toContain('Error `CORE_TOOL_TIMEOUT`: Weather service timed out');
    expect(md.indexOf('Checking both cities.')).toBeLessThan(md.indexOf('`weather`'));
  });

  it('approval and cancelled: the decision, the cut-off message and the partial arguments', () => {
    const approval = toMarkdown(loadFixture('approval'));
    expect(approval).toContain(
      '**Tool call** `remove` (completed, 61000 ms)\n\nApproval: approved',
    );
    expect(approval).toContain('Result:\n```\nremoved /tmp/cache\n```');
    const cancelled = toMarkdown(loadFixture('cancelled'));
    expect(cancelled).toContain('**Assistant:** _(cancelled)_\n\nThe repo contains a README');
    expect(cancelled).toContain('**Tool call** `read_file` (cancelled');
    expect(cancelled).toContain('```json\n{"path":"READ\n```');
  });

  it('cuts long values and fences content that contains backticks', () => {
    const md = toMarkdown(
      [
        event(1, 'run.started', { trigger: 'user' }),
        event(2, 'tool_call.started', { toolCallId: 'c', toolName: 'cat' }),
        event(3, 'tool_call.ready', { toolCallId: 'c', input: { path: 'a.md' } }),
        event(4, 'tool_call.completed', {
          toolCallId: 'c',
          status: 'completed',
          output: '```js\n' + 'x'.repeat(5000),
        }),
        event(5, 'notice', { severity: 'error', message: 'Disk full', code: 'DISK' }),
        event(6, 'run.failed', {
          error: { message: 'Provider down.', code: 'CORE_PROVIDER_UNAVAILABLE' },
        }),
      ],
      { maxValueChars: 100 },
    );
    expect(md).toContain('````\n```js\n' + 'x'.repeat(94) + '\n… (4906 more characters)\n````');
    expect(md).toContain('> **error DISK:** Disk full');
    expect(md).toContain('**Error `CORE_PROVIDER_UNAVAILABLE`:** Provider down.');
  });
});
