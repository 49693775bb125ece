import { describe, expect, expectTypeOf, it } from 'vitest';
import { loadFixture } from '../fixtures/index.js';
import type { AgentEvent, AnyEvent } from './agent-event.js';
import { isKnownEvent, safeParseEvent } from './parse-event.js';
import { runStartedData, type RunTrigger } from './run-events.js';
import { reduceEvents } from '../view/reduce-session.js';
import { toMarkdown } from '../view/to-markdown.js';

/** The same events as JSON on the wire, with `mutate` applied to each. */
function rewire(events: AnyEvent[], mutate: (raw: Record<string, unknown>) => void): unknown[] {
  return events.map((event) => {
    const raw = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
    mutate(raw);
    return raw;
  });
}

function parseAll(raws: unknown[]): AnyEvent[] {
  return raws.map((raw) => {
    const result = safeParseEvent(raw);
    if (!result.success) throw result.error;
    return result.event;
  });
}

describe("open enums: a newer writer's values never break an older reader", () => {
  it('a run.started with an unknown trigger parses, validates, and reduceSession renders the run', () => {
    const original = loadFixture('plain-chat');
    const raws = rewire(original, (raw) => {
      if (raw.type === 'run.started') (raw.data as Record<string, unknown>).trigger = 'webhook';
    });
    const events = parseAll(raws);
    const started = events.find(
      (event) => event.type === 'run.started',
    ) as AgentEvent<'run.started'>;
    expect(started.data.trigger).toBe('webhook');

    const view = reduceEvents(events);
    const known = reduceEvents(original);
    expect(view.run).toEqual({ ...known.run, trigger: 'webhook' });
    // Everything else renders exactly as with a known trigger.
    expect(view.items.toArray()).toEqual(known.items.toArray());
    expect(toMarkdown(events)).toBe(toMarkdown(original));
  });

  it('unknown reasons, sources and kinds are kept as they are, voice ones included', () => {
    const original = loadFixture('voice-turn');
    const raws = rewire(original, (raw) => {
      const data = raw.data as Record<string, unknown>;
      if (raw.type === 'voice.speech_created') data.source = 'greeting';
      if (raw.type === 'user.message') data.source = 'sip';
    });
    const events = parseAll(raws);
    const sources = events.flatMap((event) =>
      isKnownEvent(event) &&
      (event.type === 'voice.speech_created' || event.type === 'user.message')
        ? [event.data.source]
        : [],
    );
    expect(new Set(sources)).toEqual(new Set(['greeting', 'sip']));
    // The chat renders the same turns: the text of the messages does not depend on those values.
    const texts = (view: ReturnType<typeof reduceEvents>) =>
      view.items.toArray().map((item) => ('text' in item ? item.text : item.kind));
    expect(texts(reduceEvents(events))).toEqual(texts(reduceEvents(original)));
  });

  it('still rejects what is not a value at all', () => {
    for (const trigger of ['', 42, null]) {
      expect(runStartedData.safeParse({ trigger }).success).toBe(false);
    }
  });

  it('keeps the known values typed for writers and readers', () => {
    expectTypeOf<'say'>().toExtend<RunTrigger>();
    expectTypeOf<RunTrigger>().toExtend<AgentEvent<'run.started'>['data']['trigger']>();
  });
});
