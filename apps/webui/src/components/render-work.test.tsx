import { act, cleanup, render } from '@testing-library/react';
import {
  ViewList,
  initialSessionView,
  reduceSession,
  type AnyEvent,
  type SessionView,
} from '@switchboard/events/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatWhen } from '../lib/format.js';
import { event } from '../test-helpers/render-view.js';
import { LiveAnnouncer } from './live-announcer.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** One turn: a question and its streamed answer, as events from `seq` on. */
function turn(seq: number, index: number): AnyEvent[] {
  return [
    event(seq, 'user.message', { messageId: `u_${index}`, parts: [{ type: 'text', text: 'q' }] }),
    event(seq + 1, 'message.started', { messageId: `a_${index}`, role: 'assistant' }),
    event(seq + 2, 'message.delta', { messageId: `a_${index}`, delta: `answer ${index}` }),
    event(seq + 3, 'message.completed', { messageId: `a_${index}` }),
  ];
}

// Work, not time: what a render does per item of a long session while its
// backlog streams in (the render bench's 2,000 messages).
describe('rendering a long session costs per render what is on screen, not the session', () => {
  it('the live region does not walk the timeline while a backlog replays, and reads only what is new', () => {
    const turns = 500;
    let view: SessionView = reduceSession(initialSessionView(), {
      type: 'stream.opened',
      data: { sessionId: 'ses_t', headSeq: turns * 4 },
    });
    const iterate = vi.spyOn(ViewList.prototype, Symbol.iterator);
    const toArray = vi.spyOn(ViewList.prototype, 'toArray');
    const { container, rerender } = render(<LiveAnnouncer view={view} />);
    for (let index = 0; index < turns; index++) {
      for (const next of turn(index * 4 + 1, index)) view = reduceSession(view, next);
      // A render every ten turns, as the store renders while the backlog arrives.
      if (index % 10 === 9) rerender(<LiveAnnouncer view={view} />);
    }
    expect(view.caughtUp).toBe(true);
    expect(view.items.size).toBe(turns * 2);
    expect(iterate).not.toHaveBeenCalled();
    expect(toArray).not.toHaveBeenCalled();
    // History is not read out; the next answer is.
    const region = container.querySelector('[aria-live="polite"]')!;
    expect(region.textContent).toBe('');
    for (const next of turn(turns * 4 + 1, turns)) view = reduceSession(view, next);
    act(() => rerender(<LiveAnnouncer view={view} />));
    expect(region.textContent).toBe(`Answer: answer ${turns}`);
  });

  it('the sidebar formats times with one shared formatter, not one per row and render', () => {
    const Real = Intl.DateTimeFormat;
    let constructed = 0;
    vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(function (
      ...args: ConstructorParameters<typeof Intl.DateTimeFormat>
    ) {
      constructed += 1;
      return new Real(...args);
    });
    const now = Date.UTC(2026, 11, 2, 12);
    for (let row = 0; row < 200; row++) {
      formatWhen(now - row * 60_000, now); // today: a time of day
      formatWhen(now - (row + 2) * 86_400_000, now); // earlier: a date
    }
    expect(constructed).toBeLessThanOrEqual(2);
    expect(formatWhen(now, now)).toBe(
      new Date(now).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
    );
  });
});
