import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, loadFixture } from '../fixtures/index.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { reduceEvents, reduceSession } from './reduce-session.js';
import { sessionViewFromJson, toSessionViewJson } from './session-view-json.js';
import type { SessionView } from './session-view.js';

/** Through JSON text, as a server sends it. */
const overTheWire = (view: SessionView): unknown =>
  JSON.parse(JSON.stringify(toSessionViewJson(view)));

const reduceOnto = (view: SessionView, events: readonly AnyEvent[]) =>
  events.reduce((state, event) => reduceSession(state, event), view);

describe('sessionViewFromJson: a stored view to continue from', () => {
  it.each(FIXTURE_NAMES)(
    '%s: the view cut anywhere, sent as JSON and reduced on, equals the view of every event',
    (name) => {
      const events = loadFixture(name);
      const whole = toSessionViewJson(reduceEvents(events));
      // Every cut: mid-stream messages, open tool calls, pending approvals.
      for (let cut = 0; cut <= events.length; cut++) {
        const stored = sessionViewFromJson(overTheWire(reduceEvents(events.slice(0, cut))));
        expect(stored, `cut at ${cut}`).toBeDefined();
        const continued = reduceOnto(stored!, events.slice(cut));
        expect(toSessionViewJson(continued), `cut at ${cut}`).toEqual(whole);
      }
    },
  );

  it('finds items stored before it by id (a late delta updates its message, no duplicate)', () => {
    const event = (seq: number, type: string, data: unknown): AnyEvent => ({
      v: 1,
      type,
      seq,
      ts: seq,
      sessionId: 'ses_j',
      runId: 'run_j',
      data,
    });
    const stored = sessionViewFromJson(
      overTheWire(
        reduceEvents([
          event(1, 'message.started', { messageId: 'm_1', role: 'assistant' }),
          event(2, 'message.delta', { messageId: 'm_1', delta: 'Hel' }),
          event(3, 'user.message', { messageId: 'u_1', parts: [{ type: 'text', text: 'hi' }] }),
        ]),
      ),
    )!;
    expect(stored.open).toEqual([0]);
    const next = reduceOnto(stored, [
      event(4, 'message.delta', { messageId: 'm_1', delta: 'lo' }),
      event(5, 'message.completed', { messageId: 'm_1' }),
    ]);
    expect(next.items.toArray().map((item) => ('text' in item ? item.text : ''))).toEqual([
      'Hello',
      'hi',
    ]);
    expect(next.items.get(0)).toMatchObject({ status: 'completed' });
    expect(next.open).toEqual([]);
    // Events it already holds are ignored, as in any resumed stream.
    expect(reduceSession(stored, event(3, 'message.delta', { messageId: 'm_1', delta: 'x' }))).toBe(
      stored,
    );
  });

  it('answers undefined for what is not a view, so the caller replays the events', () => {
    const good = overTheWire(reduceEvents(loadFixture('plain-chat'))) as Record<string, unknown>;
    expect(sessionViewFromJson(good)).toBeDefined();
    for (const bad of [
      undefined,
      null,
      'view',
      [],
      { ...good, lastSeq: -1 },
      { ...good, lastSeq: '18' },
      { ...good, items: {} },
      { ...good, items: [null] },
      { ...good, items: [{ id: 'x' }] },
      { ...good, items: [{ kind: 'message', id: 7 }] },
      { ...good, open: [99] },
      { ...good, turns: {} },
      { ...good, headSeq: 1.5 },
    ])
      expect(sessionViewFromJson(bad)).toBeUndefined();
  });
});
