import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, loadFixture } from '../fixtures/index.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { reduceEvents } from './reduce-session.js';
import type { SessionView, ToolCallItem } from './session-view.js';

const tools = (view: SessionView) =>
  view.items.toArray().filter((item): item is ToolCallItem => item.kind === 'tool_call');

/** The stream as a contract 1.0 producer wrote it: only `tool_call.started` names the tool. */
function withoutLaterIdentity(events: readonly AnyEvent[]): AnyEvent[] {
  return events.map((event) => {
    if (!event.type.startsWith('tool_call.') || event.type === 'tool_call.started') return event;
    const { toolName: _n, title: _t, kind: _k, ...data } = event.data as Record<string, unknown>;
    return { ...event, data };
  });
}

describe('reduceSession: tool identity on every tool event (contract 1.1)', () => {
  it.each(FIXTURE_NAMES)(
    '%s: a 1.0 stream (names on tool_call.started only) gives the same tool names',
    (name) => {
      const events = loadFixture(name);
      const named = tools(reduceEvents(events));
      const old = tools(reduceEvents(withoutLaterIdentity(events)));
      expect(old.map((call) => [call.id, call.toolName, call.status])).toEqual(
        named.map((call) => [call.id, call.toolName, call.status]),
      );
    },
  );

  it("takes the title the tool's definition gave once the input is known", () => {
    const view = reduceEvents(loadFixture('multi-tool'));
    expect(tools(view).map((call) => [call.id, call.title, call.toolKind])).toEqual([
      ['call_01', 'Weather in Paris', 'fetch'],
      ['call_02', 'Weather in Rome', 'fetch'],
    ]);
  });

  it("opens a call whose start it missed from a later event's name (joined mid-call)", () => {
    const events = loadFixture('multi-tool');
    const firstRunning = events.findIndex((event) => event.type === 'tool_call.running');
    const view = reduceEvents(events.slice(firstRunning));
    expect(tools(view)).toEqual([
      expect.objectContaining({
        id: 'call_01',
        toolName: 'weather',
        title: 'Weather in Paris',
        toolKind: 'fetch',
        status: 'completed',
        output: { city: 'Paris', tempC: 18, sky: 'cloudy' },
        runId: 'run_01',
      }),
      expect.objectContaining({ id: 'call_02', toolName: 'weather', status: 'failed' }),
    ]);
    expect(view.open).toEqual([]);
  });

  it('a 1.0 stream joined mid-call has no name to open the call with: it is left out', () => {
    const events = withoutLaterIdentity(loadFixture('multi-tool'));
    const firstRunning = events.findIndex((event) => event.type === 'tool_call.running');
    expect(tools(reduceEvents(events.slice(firstRunning)))).toEqual([]);
  });

  it('a resumed approval seen from the resume run on is a named, completed call', () => {
    const events = loadFixture('approval');
    const resumed = events.findIndex(
      (event) => event.type === 'run.started' && event.runId === 'run_02',
    );
    const view = reduceEvents(events.slice(resumed));
    expect(tools(view)).toEqual([
      expect.objectContaining({
        id: 'call_01',
        toolName: 'remove',
        title: 'Remove /tmp/cache',
        status: 'completed',
        approval: expect.objectContaining({ status: 'approved' }),
      }),
    ]);
  });
});
