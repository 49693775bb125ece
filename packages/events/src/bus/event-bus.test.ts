import { describe, expect, it } from 'vitest';
import type { EventsError } from '../errors/events-error.js';
import type { EventLog } from '../log/event-log.js';
import { MemoryEventLog } from '../log/memory-event-log.js';
import type { AnyEvent } from '../schema/agent-event.js';
import type { EventSink } from '../sinks/event-sink.js';
import { EventBus } from './event-bus.js';
import { SinkQueue } from './sink-queue.js';

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

  it('exposes its log (read-only), or undefined without one', () => {
    const log = new MemoryEventLog();
    expect(new EventBus({ log }).log).toBe(log);
    expect(new EventBus().log).toBeUndefined();
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
    for (let i = 0; i < 50; i++) bus.emit(delta('s', String(i)));
    // All 50 emits returned before the sink finished its first write: emit
    // never waits for a sink (checked by order, not by a clock, so load cannot flake it).
    expect(written).toEqual([]);
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

  it('forgetSession while events are still on their way keeps numbering, then restarts from the log', async () => {
    const log = new MemoryEventLog();
    const errors: EventsError[] = [];
    const bus = new EventBus({ log, onError: (e) => errors.push(e) });
    for (let i = 0; i < 3; i++) bus.emit(delta('s', String(i)));
    bus.forgetSession('s'); // not stored yet: the log's head is still 0
    expect(bus.emit(delta('s', 'again')).seq).toBe(4);
    await bus.flush();
    bus.forgetSession('s');
    await bus.flush();
    expect(bus.head('s')).toBeUndefined();
    expect(bus.emit(delta('s', 'later')).seq).toBe(5); // from the log's head
    await bus.flush();
    expect(errors).toEqual([]);
    expect(log.read('s').map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('deleteSession deletes the stored session and the bus numbers it from 1 again', async () => {
    const log = new MemoryEventLog();
    const errors: EventsError[] = [];
    const bus = new EventBus({ log, onError: (e) => errors.push(e) });
    for (let i = 0; i < 5; i++) bus.emit(delta('s', String(i)));
    bus.emit(delta('t', 'kept'));
    expect(await bus.deleteSession('s')).toBe(5); // waits for the emitted events to be stored first
    expect(log.read('s')).toEqual([]);
    expect(log.head('s')).toEqual({ seq: 0, ts: 0 });
    expect(log.read('t').map((e) => e.seq)).toEqual([1]);
    expect(bus.head('s')).toBeUndefined();
    expect(bus.emit(delta('s', 'new')).seq).toBe(1);
    await bus.flush();
    expect(errors).toEqual([]);
    expect(log.read('s').map((e) => e.seq)).toEqual([1]);
    expect(await new EventBus().deleteSession('s')).toBe(0); // no log: only forgets
  });

  it('a sink that always throws is reported once, then with counts at most once a second', async () => {
    let now = 0;
    const errors: EventsError[] = [];
    const broken: EventSink = {
      name: 'broken-file',
      write: () => {
        throw new Error('disk full');
      },
    };
    const bus = new EventBus({ sinks: [broken], now: () => now, onError: (e) => errors.push(e) });
    for (let i = 0; i < 1000; i++) bus.emit(delta('s', String(i)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'EVENTS_SINK_FAILED',
      message: expect.stringMatching(
        /^Sink sinks\[0\] \(broken-file\) failed on seq 1 .*disk full/,
      ),
    });
    now = 1000;
    bus.emit(delta('s', 'next second'));
    await bus.flush();
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatchObject({
      code: 'EVENTS_SINK_FAILED',
      details: { suppressed: 999, seq: 1001, sink: 'sinks[0] (broken-file)' },
    });
    now = 1500;
    for (let i = 0; i < 10; i++) bus.emit(delta('s', 'more'));
    await bus.flush(); // hands over what is still counted, so nothing goes unreported
    expect(errors.map((e) => e.details?.suppressed)).toEqual([undefined, 999, 10]);
  });

  it('a sink whose write never settles: drops are reported with counts, flush and close give up after closeTimeoutMs naming it', async () => {
    let now = 0;
    const errors: EventsError[] = [];
    const bus = new EventBus({
      now: () => now,
      sinkQueueLimit: 10,
      closeTimeoutMs: 50,
      onError: (e) => errors.push(e),
    });
    const stuck: EventSink = { name: 'hung-socket', write: () => new Promise<void>(() => {}) };
    bus.registry.register('s', stuck);
    for (let i = 0; i < 50; i++) bus.emit(delta('s', String(i))); // 1 in flight, 10 queued, 39 dropped
    await new Promise((resolve) => setTimeout(resolve, 0));
    now = 1000;
    for (let i = 0; i < 10; i++) bus.emit(delta('s', String(i)));
    const started = Date.now();
    await bus.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    const overflow = errors.filter((e) => e.code === 'EVENTS_SINK_OVERFLOW');
    expect(overflow.map((e) => [e.details?.droppedSinceLastReport, e.details?.dropped])).toEqual([
      [1, 1],
      [39, 40],
      [9, 49],
    ]);
    expect(errors.find((e) => e.code === 'EVENTS_FLUSH_TIMEOUT')).toMatchObject({
      details: { stuck: ['of session s (hung-socket)'], timeoutMs: 50 },
    });
    expect(() => bus.emit(delta('s', 'x'))).toThrow(
      expect.objectContaining({ code: 'EVENTS_CLOSED' }),
    );
  });

  it('flush gives up on a log whose append never settles, naming the log', async () => {
    const errors: EventsError[] = [];
    const inner = new MemoryEventLog();
    const log: EventLog = {
      append: () => new Promise<void>(() => {}),
      read: (s, a, l) => inner.read(s, a, l),
      head: (s) => inner.head(s),
      subscribe: (s, o) => inner.subscribe(s, o),
      deleteSession: (s) => inner.deleteSession(s),
      close: () => inner.close(),
    };
    const bus = new EventBus({ log, closeTimeoutMs: 30, onError: (e) => errors.push(e) });
    bus.emit(delta('s', 'x'));
    await bus.flush();
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'EVENTS_FLUSH_TIMEOUT',
        details: { stuck: ['the event log'], timeoutMs: 30 },
      }),
    ]);
  });

  it('drop-oldest behind a stuck sink keeps a bounded queue in memory', () => {
    const queue = new SinkQueue(
      { write: () => new Promise<void>(() => {}) },
      { limit: 10, policy: 'drop-oldest', onError: () => {}, label: 'x', now: () => 0 },
    );
    const event = { v: 1, type: 'notice', seq: 1, ts: 1, sessionId: 's', data: {} } as AnyEvent;
    for (let i = 0; i < 100_000; i++) queue.push(event);
    expect(queue.length).toBe(10);
    expect(queue.retained).toBeLessThan(2_100);
  });

  it('truncates the long strings of an event over maxEventBytes and marks it', async () => {
    const log = new MemoryEventLog();
    const errors: EventsError[] = [];
    const bus = new EventBus({ log, onError: (e) => errors.push(e) });
    const image = 'A'.repeat(9 * 1024 * 1024); // a 9 MiB base64 image part
    const parts = [
      { type: 'text' as const, text: 'look' },
      { type: 'image' as const, mediaType: 'image/png', data: image },
    ];
    const event = bus.emit({
      type: 'user.message',
      sessionId: 's',
      runId: 'r',
      data: { messageId: 'm', parts },
    });
    expect(parts[1]!.data).toHaveLength(image.length); // the caller's draft is untouched
    const bytes = new TextEncoder().encode(JSON.stringify(event)).length;
    expect(bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(bytes).toBeGreaterThan(4 * 1024 * 1024 - 4096);
    const marker = event.meta?.['switchboard.truncated'] as {
      originalBytes: number;
      keptBytes: number;
    };
    expect(marker).toEqual({
      originalBytes: expect.any(Number),
      keptBytes: expect.any(Number),
      paths: ['data.parts.1.data'],
    });
    expect(marker.originalBytes).toBeGreaterThan(image.length);
    expect(bytes - marker.keptBytes).toBeLessThan(200); // measured before the marker was added
    expect(event.data).toMatchObject({
      parts: [{ type: 'text', text: 'look' }, { type: 'image' }],
    });
    await bus.flush();
    expect(log.read('s')).toEqual([event]);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'EVENTS_EVENT_TOO_LARGE',
        details: expect.objectContaining({ action: 'truncated', paths: ['data.parts.1.data'] }),
      }),
    ]);
    const result = bus.emit({
      type: 'tool_call.completed',
      sessionId: 's',
      runId: 'r',
      data: {
        toolCallId: 't',
        toolName: 'read',
        status: 'completed',
        output: 'x'.repeat(5 * 1024 * 1024),
      },
    });
    expect(result.data.truncated).toEqual({
      originalBytes: expect.any(Number),
      keptBytes: expect.any(Number),
    });
  });

  it('refuses an event over maxEventBytes that cannot be shrunk, without a gap in the sequence', async () => {
    const log = new MemoryEventLog();
    const errors: EventsError[] = [];
    const bus = new EventBus({ log, maxEventBytes: 8192, onError: (e) => errors.push(e) });
    bus.emit(delta('s', 'before'));
    const refused = bus.emit({
      type: 'custom',
      sessionId: 's',
      runId: 'r',
      data: { name: 'acme.grid', value: Array.from({ length: 5000 }, (_, i) => i) },
    });
    expect(refused.seq).toBe(2); // the number the next event takes
    expect(bus.emit(delta('s', 'after')).seq).toBe(2);
    await bus.flush();
    expect(log.read('s').map((e) => e.seq)).toEqual([1, 2]);
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'EVENTS_EVENT_TOO_LARGE',
        details: expect.objectContaining({ action: 'refused', limit: 8192, type: 'custom' }),
      }),
    ]);
  });
});
