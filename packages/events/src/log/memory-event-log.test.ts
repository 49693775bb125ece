import { describe, expect, it } from 'vitest';
import { EventBus } from '../bus/event-bus.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { MemoryEventLog } from './memory-event-log.js';

const ev = (sessionId: string, seq: number) =>
  ({
    v: 1,
    type: 'notice',
    seq,
    ts: seq,
    sessionId,
    runId: 'r',
    data: { severity: 'info', message: String(seq) },
  }) as AnyEvent;

describe('MemoryEventLog', () => {
  it('appends, reads pages after a cursor, and reports the head', () => {
    const log = new MemoryEventLog();
    log.append([ev('a', 1), ev('b', 1), ev('a', 2), ev('a', 3)]);
    expect(log.read('a').map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(log.read('a', 1, 1).map((e) => e.seq)).toEqual([2]);
    expect(log.read('a', 3)).toEqual([]);
    expect(log.read('nobody')).toEqual([]);
    expect(log.head('a')).toEqual({ seq: 3, ts: 3 });
    expect(log.head('nobody')).toEqual({ seq: 0, ts: 0 });
    expect(log.sessions()).toEqual(['a', 'b']);
  });

  it('rejects gaps and duplicates atomically', () => {
    const log = new MemoryEventLog();
    log.append([ev('a', 1)]);
    expect(() => log.append([ev('a', 2), ev('a', 4)])).toThrow(
      expect.objectContaining({ code: 'EVENTS_SEQ_CONFLICT' }),
    );
    expect(() => log.append([ev('a', 1)])).toThrow(/expected seq 2, got 1/);
    expect(log.head('a').seq).toBe(1); // nothing of the bad batches was stored
  });

  it('subscribe replays then follows live appends without gaps or duplicates', async () => {
    const log = new MemoryEventLog();
    const bus = new EventBus({ log });
    for (let i = 0; i < 30; i++)
      bus.emit({
        type: 'notice',
        sessionId: 's',
        runId: 'r',
        data: { severity: 'info', message: `${i}` },
      });
    await bus.flush();
    const controller = new AbortController();
    const seen: number[] = [];
    const reader = (async () => {
      for await (const event of log.subscribe('s', { afterSeq: 10, signal: controller.signal })) {
        seen.push(event.seq);
        if (event.seq === 2000) controller.abort();
      }
    })();
    // Keep producing while the subscriber replays.
    for (let i = 30; i < 2000; i++) {
      bus.emit({
        type: 'notice',
        sessionId: 's',
        runId: 'r',
        data: { severity: 'info', message: `${i}` },
      });
      if (i % 97 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await bus.flush();
    await reader;
    expect(seen).toEqual(Array.from({ length: 1990 }, (_, i) => i + 11));
  });

  it('a slow subscriber falls back to the log instead of holding events in memory', async () => {
    const log = new MemoryEventLog();
    let seq = 0;
    const push = (n: number) => log.append(Array.from({ length: n }, () => ev('s', ++seq)));
    push(1);
    const controller = new AbortController();
    const iterator = log.subscribe('s', { signal: controller.signal })[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.seq).toBe(1);
    push(15_000); // more than the 10k live buffer, while the consumer is not reading
    const seen: number[] = [];
    for (let i = 0; i < 15_000; i++) seen.push((await iterator.next()).value!.seq);
    expect(seen[0]).toBe(2);
    expect(seen.at(-1)).toBe(15_001);
    expect(new Set(seen).size).toBe(15_000);
    controller.abort();
    expect((await iterator.next()).done).toBe(true);
  });

  it('close ends subscriptions and refuses appends', async () => {
    const log = new MemoryEventLog();
    log.append([ev('s', 1)]);
    const seen: number[] = [];
    const reader = (async () => {
      for await (const event of log.subscribe('s')) seen.push(event.seq);
    })();
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.close();
    await reader;
    expect(seen).toEqual([1]);
    expect(() => log.append([ev('s', 2)])).toThrow(
      expect.objectContaining({ code: 'EVENTS_CLOSED' }),
    );
  });

  it('deleteSession removes one session and returns how many events it had', () => {
    const log = new MemoryEventLog();
    log.append([ev('a', 1), ev('b', 1), ev('a', 2)]);
    expect(log.deleteSession('a')).toBe(2);
    expect(log.deleteSession('a')).toBe(0);
    expect(log.read('a')).toEqual([]);
    expect(log.head('a')).toEqual({ seq: 0, ts: 0 });
    expect(log.sessions()).toEqual(['b']);
    log.append([ev('a', 1)]); // numbering starts again
    expect(log.read('a').map((e) => e.seq)).toEqual([1]);
  });
});
