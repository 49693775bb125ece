import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, loadFixture } from '../fixtures/index.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { EventsError } from '../errors/events-error.js';
import { reduceEvents, reduceSession } from './reduce-session.js';
import {
  parseSessionViewJson,
  sessionViewFromJson,
  toSessionViewJson,
} from './session-view-json.js';
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

  it('answers undefined for a view whose fields have the wrong types (it kept them before)', () => {
    const good = overTheWire(reduceEvents(loadFixture('multi-tool'))) as Record<string, unknown>;
    const items = good.items as Record<string, unknown>[];
    const at = items.findIndex((item) => item.kind === 'tool_call');
    const withItem = (patch: Record<string, unknown>) => ({
      ...good,
      items: items.map((item, index) => (index === at ? { ...item, ...patch } : item)),
    });
    for (const bad of [
      withItem({ kind: 'tool' }),
      withItem({ status: 'done' }),
      withItem({ argsText: undefined }),
      withItem({ error: 'boom' }),
      { ...good, usage: { inputTokens: 1 } },
      { ...good, runCount: -1 },
      { ...good, caughtUp: 'yes' },
      { ...good, approvals: [{ approvalId: 'a_1' }] },
    ])
      expect(sessionViewFromJson(bad)).toBeUndefined();
  });
});

describe('parseSessionViewJson: what is wrong with a view that is not one', () => {
  const good = overTheWire(reduceEvents(loadFixture('multi-tool'))) as Record<string, unknown>;
  const items = good.items as Record<string, unknown>[];

  /** The error parsing `json` throws. */
  function errorOf(json: unknown): EventsError {
    try {
      parseSessionViewJson(json);
    } catch (error) {
      if (error instanceof EventsError) return error;
      throw error;
    }
    throw new Error('expected parseSessionViewJson to throw');
  }

  /** What is wrong with `json`, from its EVENTS_INVALID_VIEW error. */
  function issuesOf(json: unknown): unknown {
    const error = errorOf(json);
    expect(error.code).toBe('EVENTS_INVALID_VIEW');
    return error.details?.issues;
  }

  it('reads a good view back like sessionViewFromJson', () => {
    expect(toSessionViewJson(parseSessionViewJson(good))).toEqual(
      toSessionViewJson(sessionViewFromJson(good)!),
    );
  });

  it('names an item of an unknown kind by its position', () => {
    expect(issuesOf({ ...good, items: [items[0], { ...items[1], kind: 'tool' }] })).toEqual([
      'items[1].kind: expected one of message, reasoning, tool_call, clarify, steer, notice, error, compaction, handoff',
    ]);
  });

  it('names every missing or mistyped field of an item, per its kind', () => {
    const message = items.find((item) => item.kind === 'message')!;
    const { text: _text, ...withoutText } = message;
    expect(
      issuesOf({ ...good, items: [{ ...withoutText, role: 'robot', startedAt: '1' }] }),
    ).toEqual([
      'items[0].startedAt: expected a number',
      'items[0].role: expected one of user, assistant, system',
      'items[0].text: expected a string, missing',
    ]);
  });

  it('says which top-level field is not what the view holds', () => {
    expect(issuesOf({ ...good, turns: { 0: 'run' } })).toEqual(['turns: expected an array']);
    expect(issuesOf({ ...good, usage: { ...(good.usage as object), totalTokens: null } })).toEqual([
      'usage.totalTokens: expected a number',
    ]);
    expect(issuesOf({ ...good, open: [items.length] })).toEqual([
      `open[0]: expected a position in items (below ${items.length})`,
    ]);
    expect(issuesOf({ items: [] })).toEqual(['lastSeq: expected a non-negative integer, missing']);
    expect(issuesOf('view')).toEqual(['(root): expected an object']);
  });

  it('lists at most 20 issues and says how many there were', () => {
    const broken = Array.from({ length: 30 }, () => ({ kind: 'steer', startedAt: 1, text: 'x' }));
    const error = errorOf({ ...good, items: broken });
    expect(error.code).toBe('EVENTS_INVALID_VIEW');
    expect(error.details?.issues).toHaveLength(20);
    expect(error.message).toContain('items[0].id: expected a string, missing');
    expect(error.message).toContain('(30 issues)');
  });

  it('reads the lists, counts and totals an older server leaves out as empty', () => {
    const view = parseSessionViewJson({ lastSeq: 0, items: [] });
    expect(view).toMatchObject({
      caughtUp: false,
      open: [],
      approvals: [],
      clarifications: [],
      runCount: 0,
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    });
    expect(view.turns.size).toBe(0);
  });
});
