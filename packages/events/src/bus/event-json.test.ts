import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventsError } from '../errors/events-error.js';
import { MemoryEventLog } from '../log/memory-event-log.js';
import type { AnyEvent } from '../schema/agent-event.js';
import type { EventSink } from '../sinks/event-sink.js';
import { EventBus } from './event-bus.js';

const SESSION = 'ses-json';
const delta = (text: string) =>
  ({
    type: 'message.delta',
    sessionId: SESSION,
    runId: 'r',
    data: { messageId: 'm', delta: text },
  }) as const;

/** A sink that records what the bus handed it; `delayMs` makes every write asynchronous. */
const recorder = (delayMs = 0) => {
  const calls: { event: AnyEvent; json: string | undefined }[] = [];
  const sink: EventSink = {
    write: (event, json) => {
      calls.push({ event, json });
      if (delayMs) return new Promise<void>((resolve) => setTimeout(resolve, delayMs));
    },
  };
  return { sink, calls };
};

/**
 * Counts `JSON.stringify` calls on this test's stamped events (drafts have no
 * `seq`; other code may serialise other things).
 */
const countSerialisations = () => {
  const spy = vi.spyOn(JSON, 'stringify');
  return () =>
    spy.mock.calls.filter(([value]) => {
      const event = value as Partial<AnyEvent> | null;
      return event?.sessionId === SESSION && event.seq !== undefined;
    }).length;
};
afterEach(() => vi.restoreAllMocks());

describe('EventBus: one serialisation per event, shared', () => {
  it("hands every sink the event's JSON, synchronously and from the queue behind a slow write", async () => {
    const fast = recorder();
    const slow = recorder(2);
    const perSession = recorder();
    const bus = new EventBus({ sinks: [fast.sink, slow.sink] });
    bus.registry.register(SESSION, perSession.sink);
    for (let index = 0; index < 20; index++) bus.emit(delta(`chunk ${index}`));
    await bus.flush();
    for (const { calls } of [fast, slow, perSession]) {
      expect(calls.map(({ event }) => event.seq)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      for (const { event, json } of calls) expect(json).toBe(JSON.stringify(event));
    }
    // One string, shared: every sink got the very same JSON for an event.
    expect(slow.calls.map(({ json }) => json)).toEqual(fast.calls.map(({ json }) => json));
  });

  it('serialises each event once however many sinks and a log take it', async () => {
    const appended: (readonly (string | undefined)[] | undefined)[] = [];
    const log = new (class extends MemoryEventLog {
      override append(events: readonly AnyEvent[], json?: readonly (string | undefined)[]) {
        appended.push(json);
        super.append(events);
      }
    })();
    const sinks = [recorder().sink, recorder(1).sink, recorder().sink];
    const count = countSerialisations();
    const bus = new EventBus({ log, sinks });
    for (let index = 0; index < 50; index++) bus.emit(delta(`chunk ${index}`));
    await bus.flush();
    expect(count()).toBe(50);
    expect(appended.flatMap((json) => json ?? [])).toEqual(
      log.read(SESSION).map((event) => JSON.stringify(event)),
    );
  });

  it('serialises nothing when only subscribers listen, and still bounds the size', async () => {
    const count = countSerialisations();
    const errors: EventsError[] = [];
    const bus = new EventBus({ maxEventBytes: 8192, onError: (e) => errors.push(e) });
    const seen: AnyEvent[] = [];
    bus.on('*', (event) => seen.push(event));
    bus.emit(delta('small'));
    const big = bus.emit(delta('x'.repeat(20_000)));
    await bus.flush();
    // The over-limit draft is measured and cut as a draft; no stamped event is serialised.
    expect(count()).toBe(0);
    expect(seen.map((event) => event.seq)).toEqual([1, 2]);
    expect(Buffer.byteLength(JSON.stringify(big))).toBeLessThanOrEqual(8192);
    expect(errors.map((e) => e.details?.action)).toEqual(['truncated']);
  });

  it("gives a sink the truncated event's JSON, and keeps the sequence whole", async () => {
    const { sink, calls } = recorder();
    const bus = new EventBus({ sinks: [sink], maxEventBytes: 8192, onError: () => {} });
    bus.emit(delta('before'));
    const cut = bus.emit(delta('y'.repeat(20_000)));
    bus.emit(delta('after'));
    await bus.flush();
    expect(calls.map(({ event }) => event.seq)).toEqual([1, 2, 3]);
    expect(calls[1]!.event).toBe(cut);
    expect(calls[1]!.json).toBe(JSON.stringify(cut));
    expect(Buffer.byteLength(calls[1]!.json!)).toBeLessThanOrEqual(8192);
    expect(cut.meta?.['switchboard.truncated']).toBeDefined();
  });

  it('passes no JSON for an event that cannot be serialised; the log still gets it and the bus goes on', async () => {
    const log = new MemoryEventLog();
    const { sink, calls } = recorder();
    const bus = new EventBus({ log, sinks: [sink] });
    bus.emit({
      type: 'custom',
      sessionId: SESSION,
      runId: 'r',
      data: { name: 'acme.big', value: 10n },
    });
    bus.emit(delta('next'));
    await bus.flush();
    expect(calls.map(({ event, json }) => [event.seq, json === undefined])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(log.read(SESSION).map((event) => event.seq)).toEqual([1, 2]);
  });
});
