import { cleanup, screen, within } from '@testing-library/react';
import { loadFixture } from '@switchboard/events/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { event, renderTimeline, viewOf } from '../test-helpers/render-view.js';

afterEach(cleanup);

describe('the timeline, rendered from the golden corpus through reduceSession', () => {
  it('plain-chat: the user message, the reasoning with its duration, the markdown answer', () => {
    const { container } = renderTimeline(viewOf(loadFixture('plain-chat')));
    expect(screen.getByText('Say hello')).toBeTruthy();
    const reasoning = container.querySelector('details.reasoning')!;
    expect(reasoning.querySelector('summary')!.textContent).toBe('Thought for 21 ms');
    expect(reasoning.hasAttribute('open')).toBe(false);
    expect(reasoning.textContent).toContain('A greeting is expected.');
    const answer = container.querySelector('.msg--assistant')!;
    expect(answer.getAttribute('data-status')).toBe('completed');
    expect(answer.textContent).toContain('Hello, world!');
    expect(within(answer as HTMLElement).getByRole('button', { name: 'Copy' })).toBeTruthy();
  });

  it('cancelled: the partial answer stays, marked cancelled; the cut-off tool calls too', () => {
    const view = viewOf(loadFixture('cancelled'));
    const { container } = renderTimeline(view);
    const cancelled = container.querySelectorAll('.msg--ended-early');
    expect(cancelled.length).toBeGreaterThan(0);
    for (const message of cancelled) {
      expect(message.getAttribute('data-status')).toBe('cancelled');
      expect(message.textContent).toContain('Cancelled');
    }
    const tools = [...container.querySelectorAll('.tool')];
    expect(tools.map((tool) => tool.getAttribute('data-status'))).toEqual(
      view.items
        .toArray()
        .filter((item) => item.kind === 'tool_call')
        .map((item) => (item.kind === 'tool_call' ? item.status : '')),
    );
    expect(tools.some((tool) => tool.getAttribute('data-status') === 'cancelled')).toBe(true);
  });

  it('multi-tool: parallel calls each in their own card, matched by id, with status, duration, arguments and output', () => {
    const view = viewOf(loadFixture('multi-tool'));
    const { container } = renderTimeline(view);
    const calls = view.items.toArray().filter((item) => item.kind === 'tool_call');
    expect(calls.length).toBe(2);
    for (const call of calls) {
      if (call.kind !== 'tool_call') continue;
      const card = container.querySelector(`[data-tool-call-id="${call.id}"]`) as HTMLElement;
      expect(card).not.toBeNull();
      expect(card.querySelector('.tool__name')!.textContent).toBe(call.toolName);
      expect(card.getAttribute('data-status')).toBe(call.status);
      expect(card.querySelector('.badge')!.textContent).toBe(
        call.status === 'completed' ? 'done' : call.status,
      );
      expect(card.querySelector('.tool__duration')!.textContent).toMatch(/\d+ (ms|s)$/);
      const pres = [...card.querySelectorAll('pre')].map((pre) => pre.textContent);
      expect(pres[0]).toContain(JSON.stringify(call.input, null, 2).split('\n')[1]!.trim());
      if (call.output !== undefined)
        expect(pres.at(-1)).toBe(
          typeof call.output === 'string' ? call.output : JSON.stringify(call.output, null, 2),
        );
      if (call.error)
        expect(card.querySelector('.tool__error')!.textContent).toContain(call.error.message);
    }
    // One done, one failed: each card shows its own result.
    expect(calls.map((call) => (call.kind === 'tool_call' ? call.status : ''))).toEqual([
      'completed',
      'failed',
    ]);
  });

  it('provider-retry: a failed run shows its error with the code and the hint on its own line; notices show', () => {
    const view = viewOf(loadFixture('provider-retry'));
    const { container } = renderTimeline(view);
    const error = container.querySelector('.run-error')!;
    const item = view.items.toArray().find((entry) => entry.kind === 'error');
    expect(item?.kind).toBe('error');
    if (item?.kind !== 'error') return;
    expect(error.querySelector('strong')!.textContent).toBe(item.error.code);
    if (item.error.hint) {
      expect(error.querySelector('.hint')!.textContent).toBe(item.error.hint);
      // The hint is not repeated inside the message line.
      expect(error.textContent.split(item.error.hint).length).toBe(2);
    }
    expect(container.querySelectorAll('.notice').length).toBeGreaterThan(1);
  });

  it('steer notes say where the guidance went', () => {
    const view = viewOf([
      event(1, 'run.started', { trigger: 'user' }),
      event(2, 'steer.accepted', { steerId: 's1', text: 'use metric units' }),
      event(3, 'steer.applied', { steerId: 's1', mode: 'tool_boundary' }),
    ]);
    const { container } = renderTimeline(view);
    expect(container.querySelector('.steer')!.textContent).toBe(
      'Steer use metric units · applied at the next tool step',
    );
  });

  it('a streaming answer is busy with a cursor; an empty one shows the typing dots', () => {
    const streaming = viewOf([
      event(1, 'run.started', { trigger: 'user' }),
      event(2, 'message.started', { messageId: 'm1', role: 'assistant' }),
      event(3, 'message.delta', { messageId: 'm1', delta: 'Hal' }),
      event(4, 'message.started', { messageId: 'm2', role: 'assistant' }),
    ]);
    const { container } = renderTimeline(streaming);
    const [first, second] = container.querySelectorAll('.msg--assistant');
    expect(first!.getAttribute('aria-busy')).toBe('true');
    expect(first!.classList.contains('msg--streaming')).toBe(true);
    expect(second!.querySelector('.typing')).not.toBeNull();
  });
});

describe('attachments of a user message', () => {
  it('an attachment:<id> image is loaded from this server; a third-party URL is never fetched', () => {
    const id = 'a'.repeat(64);
    const { container } = renderTimeline(
      viewOf([
        event(1, 'run.started', { trigger: 'user' }),
        event(2, 'user.message', {
          messageId: 'u1',
          source: 'text',
          parts: [
            { type: 'text', text: 'look' },
            { type: 'image', mediaType: 'image/png', url: `attachment:${id}` },
            { type: 'image', mediaType: 'image/png', url: 'https://tracker.example/pixel.png' },
            { type: 'file', mediaType: 'text/plain', url: 'attachment:b', filename: 'notes.txt' },
          ],
        }),
      ]),
    );
    const images = [...container.querySelectorAll('.msg__attachments img')];
    expect(images.map((img) => img.getAttribute('src'))).toEqual([`/api/attachments/${id}`]);
    expect(
      [...container.querySelectorAll('.attachment__file')].map((file) => file.textContent.trim()),
    ).toEqual(['image/png', 'notes.txt']);
  });
});
