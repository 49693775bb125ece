import { EventBus } from '../../bus/event-bus.js';
import type { EventLog } from '../../log/event-log.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import { noticeEvent, seqRange, seqsOf } from './log-fixtures.js';

/** One test's storage: a fresh, empty log, and (for shared backends) more handles on the same storage. */
export interface EventLogUnderTest {
  log: EventLog;
  /** Another handle on the same storage, as another process or instance would open it (`sharedStorage`). */
  reopen?: () => EventLog | Promise<EventLog>;
  /** Releases the storage (handles still open are closed by the suite first). */
  cleanup?: () => void | Promise<void>;
}

/** How the suite gets fresh storage for each test, and what the backend shares. */
export interface EventLogHarness {
  create(): EventLogUnderTest | Promise<EventLogUnderTest>;
  /** `create()` gives `reopen`: run the durability and writer-race tests. */
  sharedStorage?: boolean;
  /** A subscriber on one handle hears appends made through another: run the fan-out test. */
  liveAcrossHandles?: boolean;
}

/**
 * The contract every {@link EventLog} backend passes (memory, SQLite,
 * PostgreSQL, yours): appends are atomic and contiguous per session,
 * reads page in order, `head` is exact, unknown events round-trip byte for
 * byte, `subscribe` replays then follows without gaps or duplicates (a slow
 * subscriber included), deletes restart numbering, `close` ends
 * subscriptions. Backends with shared storage (`reopen`) also prove
 * durability and that two writers racing on one session cannot both win.
 *
 * Call it at the top level of a vitest file (vitest is an optional peer,
 * loaded when the suite is declared):
 *
 * ```ts
 * await describeEventLogConformance('MyLog', { create: () => ({ log: new MyLog() }) });
 * ```
 */
export async function describeEventLogConformance(
  name: string,
  harness: EventLogHarness,
): Promise<void> {
  const { afterEach, describe, expect, it } = await import('vitest');
  const open: EventLog[] = [];
  const cleanups: (() => void | Promise<void>)[] = [];
  const fresh = async (): Promise<EventLogUnderTest> => {
    const storage = await harness.create();
    open.push(storage.log);
    if (storage.cleanup) cleanups.push(storage.cleanup);
    return storage;
  };
  const reopen = async (storage: EventLogUnderTest): Promise<EventLog> => {
    const log = await storage.reopen!();
    open.push(log);
    return log;
  };
  const refused = (run: () => unknown) =>
    expect(Promise.resolve().then(run)).rejects.toMatchObject({ code: 'EVENTS_SEQ_CONFLICT' });

  describe(`${name} (EventLog conformance)`, () => {
    afterEach(async () => {
      for (const log of open.splice(0)) await log.close();
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    it('appends, reads pages after a cursor, and reports heads', async () => {
      const { log } = await fresh();
      await log.append([
        noticeEvent('b', 1),
        noticeEvent('a', 1),
        noticeEvent('a', 2),
        noticeEvent('b', 2),
        noticeEvent('a', 3),
      ]);
      await log.append([]);
      expect(seqsOf(await log.read('a'))).toEqual([1, 2, 3]);
      expect(seqsOf(await log.read('a', 1, 1))).toEqual([2]);
      expect(seqsOf(await log.read('a', 1))).toEqual([2, 3]);
      expect(await log.read('a', 3)).toEqual([]);
      expect(await log.read('nobody')).toEqual([]);
      expect(await log.head('a')).toEqual({ seq: 3, ts: 1003 });
      expect(await log.head('b')).toEqual({ seq: 2, ts: 1002 });
      expect(await log.head('nobody')).toEqual({ seq: 0, ts: 0 });
    });

    it('pages through a long session with the default limit of 1000', async () => {
      const { log } = await fresh();
      await log.append(seqRange(1, 2500).map((seq) => noticeEvent('s', seq)));
      expect(await log.read('s')).toHaveLength(1000);
      expect(seqsOf(await log.read('s', 2000))).toEqual(seqRange(2001, 2500));
      const all: number[] = [];
      for (let page = await log.read('s', 0, 333); page.length > 0;) {
        all.push(...seqsOf(page));
        page = await log.read('s', page.at(-1)!.seq, 333);
      }
      expect(all).toEqual(seqRange(1, 2500));
    });

    it('rejects gaps and duplicates, and stores nothing of a refused batch', async () => {
      const { log } = await fresh();
      await log.append([noticeEvent('a', 1), noticeEvent('b', 1)]);
      // The good events of session b come first; they must not survive a's gap.
      await refused(() =>
        log.append([
          noticeEvent('b', 2),
          noticeEvent('b', 3),
          noticeEvent('a', 2),
          noticeEvent('a', 4),
        ]),
      );
      await refused(() => log.append([noticeEvent('a', 1)]));
      await refused(() => log.append([noticeEvent('c', 2)]));
      expect((await log.head('a')).seq).toBe(1);
      expect((await log.head('b')).seq).toBe(1);
      expect((await log.head('c')).seq).toBe(0);
      await log.append([noticeEvent('a', 2), noticeEvent('b', 2)]);
      expect(seqsOf(await log.read('a'))).toEqual([1, 2]);
    });

    it('round-trips unknown types and fields byte for byte', async () => {
      const { log } = await fresh();
      const future = {
        v: 1,
        type: 'hologram.projected',
        seq: 1,
        ts: 42,
        sessionId: 's',
        runId: 'r',
        data: { z: 1, a: [null, { ünï: '😀\n"quoted"\u2028' }], nested: { deep: { x: -0.5e-7 } } },
        meta: { 'acme.trace': 'x' },
        futureEnvelopeKey: { kept: true },
      } as AnyEvent;
      const known = { ...noticeEvent('s', 2), extra: 'kept too' } as unknown as AnyEvent;
      await log.append([future, known]);
      const back = await log.read('s');
      expect(back).toEqual([future, known]);
      expect(back.map((event) => JSON.stringify(event))).toEqual([
        JSON.stringify(future),
        JSON.stringify(known),
      ]);
    });

    it('subscribe replays, then follows a bus writing live, without gaps or duplicates', async () => {
      const { log } = await fresh();
      const bus = new EventBus({ log });
      // A log whose head is asynchronous is told where the session stands first.
      bus.restoreSession('s', await log.head('s'));
      const notice = (i: number) =>
        ({
          type: 'notice',
          sessionId: 's',
          runId: 'r',
          data: { severity: 'info', message: `${i}` },
        }) as const;
      for (let i = 0; i < 30; i++) bus.emit(notice(i));
      await bus.flush();
      const controller = new AbortController();
      const seen: number[] = [];
      const reader = (async () => {
        for await (const event of log.subscribe('s', { afterSeq: 10, signal: controller.signal })) {
          seen.push(event.seq);
          if (event.seq === 600) controller.abort();
        }
      })();
      for (let i = 30; i < 600; i++) {
        bus.emit(notice(i));
        if (i % 97 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      }
      await bus.flush();
      await reader;
      expect(seen).toEqual(seqRange(11, 600));
    });

    it('a slow subscriber falls back to the log instead of holding events in memory', async () => {
      const { log } = await fresh();
      let seq = 0;
      const push = (n: number) =>
        log.append(Array.from({ length: n }, () => noticeEvent('s', ++seq)));
      await push(1);
      const controller = new AbortController();
      const iterator = log.subscribe('s', { signal: controller.signal })[Symbol.asyncIterator]();
      const nextSeq = async () => {
        const result = await iterator.next();
        return result.done ? undefined : result.value.seq;
      };
      expect(await nextSeq()).toBe(1);
      await push(12_000); // more than the 10k live buffer, while the consumer is not reading
      const seen: number[] = [];
      for (let i = 0; i < 12_000; i++) seen.push((await nextSeq())!);
      expect(seen).toEqual(seqRange(2, 12_001));
      controller.abort();
      expect((await iterator.next()).done).toBe(true);
    });

    it('deleteSession removes one session, returns how many, and numbering restarts', async () => {
      const { log } = await fresh();
      await log.append([noticeEvent('a', 1), noticeEvent('b', 1), noticeEvent('a', 2)]);
      expect(await log.deleteSession('a')).toBe(2);
      expect(await log.deleteSession('a')).toBe(0);
      expect(await log.read('a')).toEqual([]);
      expect(await log.head('a')).toEqual({ seq: 0, ts: 0 });
      expect(seqsOf(await log.read('b'))).toEqual([1]);
      await log.append([noticeEvent('a', 1)]);
      expect(seqsOf(await log.read('a'))).toEqual([1]);
    });

    it('close ends subscriptions and refuses appends with EVENTS_CLOSED', async () => {
      const { log } = await fresh();
      await log.append([noticeEvent('s', 1)]);
      const seen: number[] = [];
      const reader = (async () => {
        for await (const event of log.subscribe('s')) seen.push(event.seq);
      })();
      await expect.poll(() => seen).toEqual([1]);
      await log.close();
      await reader;
      await expect((async () => log.append([noticeEvent('s', 2)]))()).rejects.toMatchObject({
        code: 'EVENTS_CLOSED',
      });
    });

    if (!harness.sharedStorage) return;

    it('is durable: another handle sees the head and continues; a stale append conflicts', async () => {
      const storage = await fresh();
      await storage.log.append(seqRange(1, 50).map((seq) => noticeEvent('s', seq)));
      const second = await reopen(storage);
      expect(await second.head('s')).toEqual({ seq: 50, ts: 1050 });
      await refused(() => second.append([noticeEvent('s', 50)]));
      await second.append([noticeEvent('s', 51)]);
      expect(seqsOf(await storage.log.read('s'))).toEqual(seqRange(1, 51));
    });

    it('two writers racing on one session: exactly one batch is stored', async () => {
      const storage = await fresh();
      const other = await reopen(storage);
      await storage.log.append([noticeEvent('s', 1)]);
      for (let round = 0; round < 20; round++) {
        const next = round + 2;
        const mine = [noticeEvent('s', next, 'mine')];
        const theirs = [noticeEvent('s', next, 'theirs')];
        const results = await Promise.allSettled([
          (async () => storage.log.append(mine))(),
          (async () => other.append(theirs))(),
        ]);
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const lost = results.find((result) => result.status === 'rejected');
        expect(lost?.reason).toMatchObject({ code: 'EVENTS_SEQ_CONFLICT' });
      }
      expect(seqsOf(await other.read('s'))).toEqual(seqRange(1, 21));
    });

    if (!harness.liveAcrossHandles) return;

    it('a subscriber on one handle hears appends made through another', async () => {
      const storage = await fresh();
      const writer = await reopen(storage);
      await writer.append([noticeEvent('s', 1)]);
      const controller = new AbortController();
      const seen: number[] = [];
      const reader = (async () => {
        for await (const event of storage.log.subscribe('s', { signal: controller.signal })) {
          seen.push(event.seq);
          if (event.seq === 300) controller.abort();
        }
      })();
      for (let seq = 2; seq <= 300; seq += 3)
        await writer.append(
          [noticeEvent('s', seq), noticeEvent('s', seq + 1), noticeEvent('s', seq + 2)].filter(
            (e) => e.seq <= 300,
          ),
        );
      await reader;
      expect(seen).toEqual(seqRange(1, 300));
    });
  });
}
