import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../bus/event-bus.js';
import type { EventLog, SubscribeOptions } from '../log/event-log.js';
import { MemoryEventLog } from '../log/memory-event-log.js';
import { SseParser } from './decode-sse.js';
import { createResumableEventStream, parseLastEventId, resolveResumeCursor } from './resume-sse.js';

const sessionId = 's1';

function setup(count: number) {
  const log = new MemoryEventLog();
  const bus = new EventBus({ log });
  const emit = (n: number) => {
    for (let index = 0; index < n; index++) {
      bus.emit({
        type: 'message.delta',
        sessionId,
        runId: 'r1',
        data: { messageId: 'm1', delta: 'x' },
      });
    }
  };
  emit(count);
  return { log, bus, emit };
}

/** Reads frames until `until` says stop, then cancels; returns the seqs seen and the opened frame. */
async function readSeqs(stream: ReadableStream<string>, until: (seqs: number[]) => boolean) {
  const parser = new SseParser();
  const seqs: number[] = [];
  let opened: unknown;
  const reader = stream.getReader();
  while (!until(seqs)) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const frame of parser.feed(value)) {
      const json = JSON.parse(frame.data) as { type: string; seq: number };
      if (json.type === 'stream.opened') opened = json;
      else {
        expect(frame.id).toBe(String(json.seq));
        seqs.push(json.seq);
      }
    }
  }
  await reader.cancel();
  return { seqs, opened };
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('parseLastEventId', () => {
  it('reads a seq and treats a missing or empty header as no cursor', () => {
    expect(parseLastEventId('42')).toBe(42);
    expect(parseLastEventId(' 0 ')).toBe(0);
    expect(parseLastEventId(undefined)).toBeUndefined();
    expect(parseLastEventId(null)).toBeUndefined();
    expect(parseLastEventId('')).toBeUndefined();
  });

  it.each(['abc', '-1', '1.5', '1e3', '0x10', '12 13', '99999999999999999', 'k3f9:12'])(
    'rejects %j with EVENTS_INVALID_CURSOR',
    (header) => {
      expect(() => parseLastEventId(header)).toThrow(
        expect.objectContaining({
          code: 'EVENTS_INVALID_CURSOR',
          details: expect.objectContaining({ reason: 'malformed' }),
        }),
      );
    },
  );
});

describe('createResumableEventStream', () => {
  it('replays after the cursor, then continues live without gaps or duplicates', async () => {
    const { log, bus, emit } = setup(10);
    await bus.flush();
    const stream = await createResumableEventStream(log, sessionId, {
      lastEventId: '4',
      keepAliveMs: 0,
    });
    const reading = readSeqs(stream, (seqs) => seqs.length >= 16);
    for (let round = 0; round < 5; round++) {
      emit(2);
      await sleep(1);
    }
    const { seqs, opened } = await reading;
    expect(opened).toEqual({ v: 1, type: 'stream.opened', data: { headSeq: 10, sessionId } });
    expect(seqs).toEqual(range(5, 20));
    await bus.close();
    log.close();
  });

  it('prefers Last-Event-ID over afterSeq, and defaults to the whole session', async () => {
    const { log, bus } = setup(6);
    await bus.flush();
    const fromHeader = await createResumableEventStream(log, sessionId, {
      lastEventId: '5',
      afterSeq: 1,
    });
    expect((await readSeqs(fromHeader, (seqs) => seqs.length === 1)).seqs).toEqual([6]);
    const fromQuery = await createResumableEventStream(log, sessionId, { afterSeq: 3 });
    expect((await readSeqs(fromQuery, (seqs) => seqs.length === 3)).seqs).toEqual([4, 5, 6]);
    const fromStart = await createResumableEventStream(log, sessionId, { lastEventId: null });
    expect((await readSeqs(fromStart, (seqs) => seqs.length === 6)).seqs).toEqual(range(1, 6));
    log.close();
  });

  it('rejects a malformed cursor and one beyond the head before streaming', async () => {
    const { log, bus } = setup(3);
    await bus.flush();
    await expect(
      createResumableEventStream(log, sessionId, { lastEventId: 'nope' }),
    ).rejects.toMatchObject({
      code: 'EVENTS_INVALID_CURSOR',
      details: { reason: 'malformed' },
    });
    await expect(
      createResumableEventStream(log, sessionId, { lastEventId: '4' }),
    ).rejects.toMatchObject({
      code: 'EVENTS_INVALID_CURSOR',
      details: { reason: 'beyond-head', cursor: 4, headSeq: 3 },
    });
    await expect(
      createResumableEventStream(log, sessionId, { lastEventId: '3' }),
    ).resolves.toBeInstanceOf(ReadableStream);
    log.close();
  });

  it('resolveResumeCursor: Last-Event-ID wins over afterSeq, the head comes back, and the same rejections', async () => {
    const { log, bus } = setup(3);
    await bus.flush();
    expect(await resolveResumeCursor(log, sessionId, { lastEventId: '2', afterSeq: 1 })).toEqual({
      cursor: 2,
      headSeq: 3,
    });
    expect(await resolveResumeCursor(log, sessionId, { lastEventId: '', afterSeq: 1 })).toEqual({
      cursor: 1,
      headSeq: 3,
    });
    expect(await resolveResumeCursor(log, 'empty', {})).toEqual({ cursor: 0, headSeq: 0 });
    await expect(resolveResumeCursor(log, sessionId, { lastEventId: 'x' })).rejects.toMatchObject({
      code: 'EVENTS_INVALID_CURSOR',
      details: { reason: 'malformed' },
    });
    await expect(resolveResumeCursor(log, sessionId, { afterSeq: 4 })).rejects.toMatchObject({
      code: 'EVENTS_INVALID_CURSOR',
      details: { reason: 'beyond-head', cursor: 4, headSeq: 3, sessionId },
    });
    log.close();
  });

  it('ends the log subscription when the client goes away', async () => {
    const { log, bus } = setup(2);
    await bus.flush();
    const signals: AbortSignal[] = [];
    const spy: EventLog = {
      append: (events) => log.append(events),
      read: (id, after, limit) => log.read(id, after, limit),
      head: (id) => log.head(id),
      deleteSession: (id) => log.deleteSession(id),
      close: () => log.close(),
      subscribe: (id, options?: SubscribeOptions) => {
        if (options?.signal) signals.push(options.signal);
        return log.subscribe(id, options);
      },
    };
    const stream = await createResumableEventStream(spy, sessionId, { keepAliveMs: 10 });
    const { seqs } = await readSeqs(stream, (seen) => seen.length === 2); // then waits on live, then cancels
    expect(seqs).toEqual([1, 2]);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    log.close();
  });

  it('ends when the caller aborts or the log closes', async () => {
    const { log, bus } = setup(1);
    await bus.flush();
    const abort = new AbortController();
    const aborted = await createResumableEventStream(log, sessionId, { signal: abort.signal });
    setTimeout(() => abort.abort(), 10);
    expect((await readSeqs(aborted, () => false)).seqs).toEqual([1]);
    const closing = await createResumableEventStream(log, sessionId, { afterSeq: 1 });
    setTimeout(() => log.close(), 10);
    expect((await readSeqs(closing, () => false)).seqs).toEqual([]);
  });
});
