import { describe, expect, it } from 'vitest';
import type { EventsError } from '../errors/events-error.js';
import type { EventLog } from '../log/event-log.js';
import { MemoryEventLog } from '../log/memory-event-log.js';
import type { AnyEvent } from '../schema/agent-event.js';
import type { EventSink } from '../sinks/event-sink.js';
import { EventBus } from './event-bus.js';

const delta = (sessionId: string, text: string) =>
  ({
    type: 'message.delta',
    sessionId,
    runId: `run-${sessionId}`,
    data: { messageId: 'm', delta: text },
  }) as const;

const collect = (): EventSink & { events: AnyEvent[] } => {
  const events: AnyEvent[] = [];
  return { events, write: (e) => void events.push(e) };
};

describe('EventBus', () => {
  it('stamps synchronously and numbers each session on its own', () => {
    const bus = new EventBus({ now: () => 42 });
    const a1 = bus.emit(delta('a', '1'));
    const b1 = bus.emit(delta('b', '1'));
    const a2 = bus.emit(delta('a', '2'));
    expect([a1.seq, b1.seq, a2.seq]).toEqual([1, 1, 2]);
    expect(a1).toMatchObject({
      v: 1,
      ts: 42,
      sessionId: 'a',
      runId: 'run-a',
      type: 'message.delta',
    });
    expect(bus.head('a')).toEqual({ seq: 2, ts: 42 });
  });

  it('delivers each event to typed and wildcard subscribers, then sinks, in emit order', async () => {
    const order: string[] = [];
    const sink: EventSink = { write: (e) => void order.push(`sink:${e.seq}`) };
    const bus = new EventBus({ sinks: [sink] });
    bus.on('message.delta', (e) => order.push(`delta:${e.data.delta}`));
    bus.on('*', (e) => order.push(`any:${e.type}`));
    bus.emit(delta('s', 'x'));
    bus.emit({
      type: 'notice',
      sessionId: 's',
      runId: 'r',
      data: { severity: 'info', message: 'n' },
    });
    expect(order).toEqual([]); // delivery is after the (batched) durable append
    await bus.flush();
    expect(order).toEqual(['delta:x', 'any:message.delta', 'sink:1', 'any:notice', 'sink:2']);
  });

  it('stores events in the log before anyone sees them', async () => {
    const log = new MemoryEventLog();
    const bus = new EventBus({ log });
    const seenHeads: number[] = [];
    bus.on('*', (e) => seenHeads.push(log.head(e.sessionId).seq));
    for (let i = 0; i < 5; i++) bus.emit(delta('s', String(i)));
    await bus.flush();
    expect(seenHeads.every((head) => head === 5)).toBe(true);
    expect(log.read('s').map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('batches one log append per microtask burst', async () => {
    const batches: number[] = [];
    const inner = new MemoryEventLog();
    const log: EventLog = {
      append: (events) => {
        batches.push(events.length);
        inner.append(events);
      },
      read: (s, a, l) => inner.read(s, a, l),
      head: (s) => inner.head(s),
      subscribe: (s, o) => inner.subscribe(s, o),
      deleteSession: (s) => inner.deleteSession(s),
      close: () => inner.close(),
    };
    const bus = new EventBus({ log });
    for (let i = 0; i < 100; i++) bus.emit(delta('s', String(i)));
    await bus.flush();
    bus.emit(delta('s', 'later'));
    await bus.flush();
    expect(batches).toEqual([100, 1]);
  });

  it('continues a session from the log head after a restart', async () => {
    const log = new MemoryEventLog();
    const first = new EventBus({ log });
    first.emit(delta('s', 'a'));
    first.emit(delta('s', 'b'));
    await first.close();
    const second = new EventBus({ log });
    expect(second.emit(delta('s', 'c')).seq).toBe(3);
    await second.flush();
    expect(log.read('s').map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('restoreSession continues from a given head (e.g. a JSONL file)', () => {
    const bus = new EventBus({ now: () => 1 });
    bus.restoreSession('s', { seq: 10, ts: 500 });
    expect(bus.emit(delta('s', 'x'))).toMatchObject({ seq: 11, ts: 500 });
  });

  it('routes per-session sinks through the registry', async () => {
    const bus = new EventBus();
    const a = collect();
    const b = collect();
    bus.registry.register('a', a);
    bus.registry.register('b', b);
    bus.emit(delta('a', '1'));
    bus.emit(delta('b', '1'));
    bus.emit(delta('a', '2'));
    await bus.flush();
    expect(a.events.map((e) => `${e.sessionId}${e.seq}`)).toEqual(['a1', 'a2']);
    expect(b.events.map((e) => `${e.sessionId}${e.seq}`)).toEqual(['b1']);
  });

  it('never lets a throwing subscriber or sink break emit or other consumers', async () => {
    const errors: EventsError[] = [];
    const good = collect();
    const bus = new EventBus({
      sinks: [
        {
          write: () => {
            throw new Error('sink down');
          },
        },
        good,
      ],
      onError: (e) => errors.push(e),
    });
    bus.on('*', () => {
      throw new Error('handler bug');
    });
    expect(() => bus.emit(delta('s', 'x'))).not.toThrow();
    await bus.flush();
    expect(good.events).toHaveLength(1);
    expect(errors.map((e) => e.code)).toEqual(['EVENTS_SINK_FAILED', 'EVENTS_SINK_FAILED']);
    expect(errors.map((e) => e.message).join()).toMatch(/handler bug.*sink down/);
  });

  it('keeps order for an async sink and never waits for it in emit', async () => {
    const written: number[] = [];
    const slow: EventSink = {
      write: (e) =>
        new Promise((resolve) =>
          setTimeout(() => {
            written.push(e.seq);
            resolve();
          }, 1),
        ),
    };
    const bus = new EventBus({ sinks: [slow] });
    const start = performance.now();
    for (let i = 0; i < 50; i++) bus.emit(delta('s', String(i)));
    expect(performance.now() - start).toBeLessThan(50);
    await bus.flush();
    expect(written).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('drops events for a sink that falls behind its bounded queue and reports it', async () => {
    const errors: EventsError[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: number[] = [];
    const stuck: EventSink = {
      write: async (e) => {
        seen.push(e.seq);
        await gate;
      },
    };
    const fast = collect();
    const bus = new EventBus({
      sinks: [stuck, fast],
      sinkQueueLimit: 10,
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 100; i++) bus.emit(delta('s', String(i)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fast.events).toHaveLength(100); // the healthy sink is unaffected
    release();
    await bus.flush();
    // drop-newest: the stuck sink got a contiguous prefix (the one in flight + 10 queued).
    expect(seen).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(errors[0]).toMatchObject({ code: 'EVENTS_SINK_OVERFLOW', details: { limit: 10 } });
    expect(errors.at(-1)).toMatchObject({ code: 'EVENTS_SINK_OVERFLOW', details: { dropped: 89 } });
  });

  it('drop-oldest keeps the latest events for a lagging sink', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: number[] = [];
    const stuck: EventSink = {
      write: async (e) => {
        seen.push(e.seq);
        await gate;
      },
    };
    const bus = new EventBus({ sinks: [stuck], sinkQueueLimit: 5, overflow: 'drop-oldest' });
    for (let i = 0; i < 20; i++) bus.emit(delta('s', String(i)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    await bus.flush();
    expect(seen).toEqual([1, 16, 17, 18, 19, 20]);
  });

  it('does not publish events the log refused, rewinds, and reports once', async () => {
    const errors: EventsError[] = [];
    const inner = new MemoryEventLog();
    let failNext = false;
    const log: EventLog = {
      append: (events) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        inner.append(events);
      },
      read: (s, a, l) => inner.read(s, a, l),
      head: (s) => inner.head(s),
      subscribe: (s, o) => inner.subscribe(s, o),
      deleteSession: (s) => inner.deleteSession(s),
      close: () => inner.close(),
    };
    const seen = collect();
    const bus = new EventBus({ log, sinks: [seen], onError: (e) => errors.push(e) });
    bus.emit(delta('s', 'kept'));
    await bus.flush();
    failNext = true;
    bus.emit(delta('s', 'lost-1'));
    bus.emit(delta('s', 'lost-2'));
    await bus.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'EVENTS_LOG_APPEND_FAILED', details: { count: 2 } });
    const next = bus.emit(delta('s', 'after'));
    expect(next.seq).toBe(2); // the refused numbers are reused: no gap in the log
    await bus.flush();
    expect(inner.read('s').map((e) => (e.data as { delta: string }).delta)).toEqual([
      'kept',
      'after',
    ]);
    expect(seen.events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('rejects run-scoped events without a runId and emits after close', async () => {
    const bus = new EventBus();
    expect(() =>
      bus.emit({
        type: 'message.delta',
        sessionId: 's',
        data: { messageId: 'm', delta: 'x' },
      } as never),
    ).toThrow(expect.objectContaining({ code: 'EVENTS_INVALID_EVENT' }));
    bus.emit({ type: 'session.started', sessionId: 's', data: {} });
    await bus.close();
    expect(() =>
      bus.emit({ type: 'session.ended', sessionId: 's', data: { reason: 'closed' } }),
    ).toThrow(expect.objectContaining({ code: 'EVENTS_CLOSED' }));
  });

  it('validates its options once with a stable code', () => {
    expect(() => new EventBus({ sinkQueueLimit: 0 })).toThrow(
      expect.objectContaining({
        code: 'EVENTS_INVALID_OPTIONS',
        message: expect.stringContaining('sinkQueueLimit'),
      }),
    );
  });

  it('calls each sink flush() in flush()', async () => {
    let flushed = 0;
    const bus = new EventBus({ sinks: [{ write: () => {}, flush: () => void flushed++ }] });
    bus.emit(delta('s', 'x'));
    await bus.flush();
    expect(flushed).toBe(1);
  });
});
