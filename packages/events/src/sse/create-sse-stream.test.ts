import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { AnyEvent } from '../schema/agent-event.js';
import { createSseStream } from './create-sse-stream.js';
import { SseParser } from './decode-sse.js';

const event = (seq: number): AnyEvent => ({
  v: 1,
  type: 'message.delta',
  seq,
  ts: 1000 + seq,
  sessionId: 's1',
  runId: 'r1',
  data: { messageId: 'm1', delta: `d${seq}` },
});

async function* fromArray(events: readonly AnyEvent[]) {
  for (const item of events) yield await Promise.resolve(item);
}

/** A source that yields nothing until `release` and records whether it was stopped. */
function controllableSource() {
  const state = { stopped: false, release: () => {} };
  const gate = new Promise<void>((resolve) => (state.release = resolve));
  async function* source() {
    try {
      yield event(1);
      await gate;
      yield event(2);
    } finally {
      state.stopped = true;
    }
  }
  return { state, source: source() };
}

const readAll = async (stream: ReadableStream<string>): Promise<string> => {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
};

const timeoutCount = () =>
  process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

describe('createSseStream', () => {
  it('writes retry, the opened frame, then each event, and closes with the source', async () => {
    const text = await readAll(
      createSseStream(fromArray([event(1), event(2)]), {
        retryMs: 500,
        headSeq: 2,
        sessionId: 's1',
        keepAliveMs: 0,
      }),
    );
    expect(text).toMatchInlineSnapshot(`
      "retry: 500

      data: {"v":1,"type":"stream.opened","data":{"headSeq":2,"sessionId":"s1"}}

      id: 1
      data: {"v":1,"type":"message.delta","seq":1,"ts":1001,"sessionId":"s1","runId":"r1","data":{"messageId":"m1","delta":"d1"}}

      id: 2
      data: {"v":1,"type":"message.delta","seq":2,"ts":1002,"sessionId":"s1","runId":"r1","data":{"messageId":"m1","delta":"d2"}}

      "
    `);
  });

  it('sends a ping comment while the source is idle, and none while it is busy', async () => {
    const { state, source } = controllableSource();
    const started = Date.now();
    const stream = createSseStream(source, { keepAliveMs: 20 });
    const reader = stream.getReader();
    const chunks: string[] = [];
    let secondPingAfterMs = 0;
    const pings = () => chunks.filter((chunk) => chunk === ': ping\n\n').length;
    const reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        chunks.push(value);
        if (pings() === 2 && secondPingAfterMs === 0) {
          secondPingAfterMs = Date.now() - started;
          state.release();
        }
      }
    })();
    // Waits for two pings rather than counting them after a fixed sleep: on a
    // loaded machine a sleep can end before the timers behind it had a turn.
    await reading;
    // Paced by keepAliveMs, not flooding (a lower bound holds under any load).
    expect(secondPingAfterMs).toBeGreaterThanOrEqual(2 * 20 - 2);
    expect(chunks.at(-1)).toContain('id: 2\n');
    expect(new SseParser().feed(chunks.join('')).map((frame) => frame.id)).toEqual([
      undefined,
      '1',
      '2',
    ]);
  });

  it('does not ping a busy stream', async () => {
    async function* steady() {
      for (let seq = 1; seq <= 12; seq++) {
        await sleep(5);
        yield event(seq);
      }
    }
    const text = await readAll(createSseStream(steady(), { keepAliveMs: 30 }));
    expect(text).not.toContain(': ping');
  });

  it('stops the source and clears its timer when the client cancels', async () => {
    const { state, source } = controllableSource();
    const before = timeoutCount();
    const stream = createSseStream(source, { keepAliveMs: 20 });
    const reader = stream.getReader();
    await reader.read(); // opened
    await reader.read(); // event 1
    const pending = reader.read(); // waits on the gate
    expect(timeoutCount()).toBe(before + 1);
    await reader.cancel();
    expect((await pending).done).toBe(true);
    expect(timeoutCount()).toBe(before);
    state.release(); // an async generator honours return() once it resumes
    await sleep(5);
    expect(state.stopped).toBe(true);
  });

  it('closes cleanly when the signal aborts, and at once if it already was', async () => {
    const { state, source } = controllableSource();
    const abort = new AbortController();
    const stream = createSseStream(source, { signal: abort.signal, keepAliveMs: 20 });
    const reading = readAll(stream);
    await sleep(10);
    abort.abort();
    expect(await reading).toContain('id: 1\n');
    state.release();
    await sleep(5);
    expect(state.stopped).toBe(true);

    const text = await readAll(
      createSseStream(fromArray([event(1)]), { signal: AbortSignal.abort() }),
    );
    expect(text).toBe('data: {"v":1,"type":"stream.opened","data":{}}\n\n');
  });

  it('errors the stream when the source throws', async () => {
    async function* failing(): AsyncGenerator<AnyEvent> {
      yield await Promise.resolve(event(1));
      throw new Error('log unavailable');
    }
    const before = timeoutCount();
    await expect(readAll(createSseStream(failing()))).rejects.toThrow('log unavailable');
    expect(timeoutCount()).toBe(before);
  });

  it('validates its options', () => {
    expect(() => createSseStream(fromArray([]), { keepAliveMs: -1 })).toThrow(
      expect.objectContaining({ code: 'EVENTS_INVALID_OPTIONS' }),
    );
  });
});
