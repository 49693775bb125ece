import { describe, expect, it } from 'vitest';
import { EventBus } from '../bus/event-bus.js';
import { DEFAULT_MAX_EVENT_BYTES } from '../bus/fit-event-size.js';
import type { EventsError } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import {
  connectEventStream,
  type ConnectEventStreamOptions,
  type FetchLike,
} from './connect-event-stream.js';
import { DEFAULT_MAX_SSE_BLOCK_CHARS } from './decode-sse.js';
import { encodeSseEvent, encodeSseOpened, encodeSseRetry } from './encode-sse.js';
import type { StreamOpenedData } from './transport-events.js';

const event = (seq: number, type = 'message.delta'): AnyEvent => ({
  v: 1,
  type,
  seq,
  ts: 1000 + seq,
  sessionId: 's1',
  runId: 'r1',
  data: type === 'message.delta' ? { messageId: 'm1', delta: `d${seq}` } : { anything: seq },
});
const frames = (...seqs: number[]) => seqs.map((seq) => encodeSseEvent(event(seq))).join('');

type Ending = 'close' | 'drop' | 'hang';

/** An SSE response whose body sends `text`, then closes, errors (a network drop) or stays open until aborted. */
function sse(text: string, ending: Ending, signal?: AbortSignal | null): Response {
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      signal?.addEventListener('abort', () => controller.error(signal.reason));
    },
    // The ending comes on the second pull: erroring a stream discards chunks not yet read.
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(new TextEncoder().encode(text));
      } else if (ending === 'close') controller.close();
      else if (ending === 'drop') controller.error(new TypeError('terminated'));
      else return new Promise<void>(() => {}); // hang: only an abort ends it
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
}

type Script = (init: RequestInit) => Response;

/** A fetch that answers the n-th request with the n-th script (the last one repeats). */
function scripted(...scripts: Script[]) {
  const requests: Headers[] = [];
  const fetch: FetchLike = (_url, init) => {
    requests.push(new Headers(init.headers));
    const script = scripts[Math.min(requests.length, scripts.length) - 1]!;
    return Promise.resolve().then(() => script(init));
  };
  const lastEventIds = () => requests.map((headers) => headers.get('last-event-id'));
  return { fetch, requests, lastEventIds };
}

async function collect(options: ConnectEventStreamOptions & { take?: number }) {
  const { take = Infinity, ...rest } = options;
  const errors: EventsError[] = [];
  const opened: StreamOpenedData[] = [];
  const events: AnyEvent[] = [];
  let thrown: unknown;
  try {
    for await (const item of connectEventStream('http://127.0.0.1:1/events', {
      retryMs: 5,
      onError: (error) => errors.push(error),
      onOpen: (data) => opened.push(data),
      ...rest,
    })) {
      events.push(item);
      if (events.length >= take) break;
    }
  } catch (error) {
    thrown = error;
  }
  return { seqs: events.map((item) => item.seq), events, errors, opened, thrown };
}

describe('connectEventStream', () => {
  it('yields events, keeps unknown types, hides transport frames and reports invalid ones', async () => {
    const invalid = JSON.stringify({ ...event(3), data: { messageId: 'm1' } });
    const server = scripted(() =>
      sse(
        encodeSseOpened({ headSeq: 5, sessionId: 's1' }) +
          frames(1, 2) +
          `id: 3\ndata: ${invalid}\n\n` +
          encodeSseEvent(event(4, 'future.thing')) +
          'data: {not json\n\n' +
          frames(5),
        'close',
      ),
    );
    const result = await collect({ fetch: server.fetch, take: 4 });
    expect(result.seqs).toEqual([1, 2, 4, 5]);
    expect(result.events[2]).toMatchObject({ type: 'future.thing', data: { anything: 4 } });
    expect(result.opened).toEqual([{ headSeq: 5, sessionId: 's1' }]);
    expect(result.errors.map((error) => error.code)).toEqual([
      'EVENTS_INVALID_EVENT',
      'EVENTS_SSE_PROTOCOL',
    ]);
    expect(server.requests).toHaveLength(1); // the invalid seq 3 is stepped over, not treated as a gap
    expect(server.requests[0]!.get('accept')).toBe('text/event-stream');
    expect(server.requests[0]!.has('last-event-id')).toBe(false);
  });

  it('reconnects after a drop with Last-Event-ID, ignores duplicates and honours the server retry', async () => {
    const server = scripted(
      () => sse(encodeSseRetry(1) + frames(1, 2, 3), 'drop'),
      () => sse(frames(2, 3, 4, 5), 'close'),
    );
    const started = Date.now();
    const result = await collect({ fetch: server.fetch, retryMs: 60_000, take: 5 });
    expect(Date.now() - started).toBeLessThan(5_000); // the server's retry: 1 won over 60 s
    expect(result.seqs).toEqual([1, 2, 3, 4, 5]);
    expect(server.lastEventIds()).toEqual([null, '3']);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: 'EVENTS_SSE_PROTOCOL', retryable: true });
  });

  it('keeps the seeded cursor when a connection drops before its first event (MCP SDK #2499)', async () => {
    const server = scripted(
      () => sse(encodeSseOpened({ headSeq: 9 }), 'drop'),
      () => {
        throw new TypeError('fetch failed');
      },
      () => sse(frames(8, 9), 'close'),
    );
    const result = await collect({ fetch: server.fetch, lastEventId: 7, take: 2 });
    expect(server.lastEventIds()).toEqual(['7', '7', '7']);
    expect(result.seqs).toEqual([8, 9]);
    expect(result.errors.map((error) => error.message)).toEqual([
      'The event stream broke: terminated',
      'Could not reach the event stream: fetch failed',
    ]);
  });

  it('resumes from lastSeq when it sees a gap', async () => {
    const server = scripted(
      () => sse(frames(1, 2, 4, 5), 'close'),
      () => sse(frames(3, 4, 5), 'close'),
    );
    const result = await collect({ fetch: server.fetch, take: 5, retryMs: 60_000 });
    expect(result.seqs).toEqual([1, 2, 3, 4, 5]);
    expect(server.lastEventIds()).toEqual([null, '2']);
    expect(result.errors[0]).toMatchObject({
      code: 'EVENTS_SSE_PROTOCOL',
      details: { lastSeq: 2, seq: 4 },
    });
  });

  it('stops on a 4xx other than 408/429, after reporting it', async () => {
    const server = scripted(() => new Response('no such session', { status: 404 }));
    const result = await collect({ fetch: server.fetch });
    expect(result.thrown).toMatchObject({
      code: 'EVENTS_SSE_PROTOCOL',
      retryable: false,
      details: { status: 404 },
    });
    expect(result.errors).toEqual([result.thrown]);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 5xx, 408 and 429', async () => {
    const server = scripted(
      () => new Response('', { status: 503 }),
      () => new Response('', { status: 429 }),
      () => new Response('', { status: 408 }),
      () => sse(frames(1), 'close'),
    );
    const result = await collect({ fetch: server.fetch, take: 1 });
    expect(result.seqs).toEqual([1]);
    expect(result.errors.map((error) => error.details?.status)).toEqual([503, 429, 408]);
  });

  it('gives up after maxRetries failed attempts in a row', async () => {
    const server = scripted(() => {
      throw new TypeError('fetch failed');
    });
    const result = await collect({ fetch: server.fetch, maxRetries: 2 });
    expect(server.requests).toHaveLength(3);
    expect(result.thrown).toMatchObject({ code: 'EVENTS_SSE_PROTOCOL', retryable: true });
    expect(result.errors).toHaveLength(3);
  });

  it('counts only failures in a row: a 2xx answer resets the count', async () => {
    const server = scripted(
      () => new Response('', { status: 502 }),
      () => sse(frames(1), 'drop'),
      () => new Response('', { status: 502 }),
      () => sse(frames(2), 'close'),
    );
    const result = await collect({ fetch: server.fetch, maxRetries: 1, take: 2 });
    expect(result.thrown).toBeUndefined();
    expect(result.seqs).toEqual([1, 2]);
  });

  it('refuses a response that is not an event stream or speaks a newer contract', async () => {
    const html = scripted(
      () => new Response('<html>', { headers: { 'content-type': 'text/html' } }),
    );
    expect((await collect({ fetch: html.fetch })).thrown).toMatchObject({
      code: 'EVENTS_SSE_PROTOCOL',
    });
    expect(html.requests).toHaveLength(1);
    const newer = scripted(
      () =>
        new Response('', {
          headers: { 'content-type': 'text/event-stream', 'x-switchboard-events': '2' },
        }),
    );
    expect((await collect({ fetch: newer.fetch })).thrown).toMatchObject({ details: { v: 2 } });
  });

  it('ends on HTTP 204', async () => {
    const server = scripted(() => new Response(null, { status: 204 }));
    const result = await collect({ fetch: server.fetch });
    expect(result).toMatchObject({ seqs: [], thrown: undefined });
  });

  it('ends cleanly when aborted while waiting for data or for a retry', async () => {
    const waiting = new AbortController();
    const open = scripted((init) => sse(frames(1), 'hang', init.signal));
    setTimeout(() => waiting.abort(), 20);
    const first = await collect({ fetch: open.fetch, signal: waiting.signal });
    expect(first).toMatchObject({ seqs: [1], thrown: undefined, errors: [] });

    const retrying = new AbortController();
    const down = scripted(() => new Response('', { status: 503 }));
    setTimeout(() => retrying.abort(), 20);
    const started = Date.now();
    const second = await collect({ fetch: down.fetch, signal: retrying.signal, retryMs: 60_000 });
    expect(second.thrown).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('closes the connection when the consumer stops iterating', async () => {
    let cancelled = false;
    const server = scripted(() => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(frames(1, 2, 3)));
        },
        cancel() {
          cancelled = true;
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    const result = await collect({ fetch: server.fetch, take: 2 });
    expect(result.seqs).toEqual([1, 2]);
    expect(cancelled).toBe(true);
  });

  it('validates its options eagerly', () => {
    expect(() => connectEventStream('http://127.0.0.1:1/', { lastEventId: 'abc' })).toThrow(
      expect.objectContaining({ code: 'EVENTS_INVALID_OPTIONS' }),
    );
    expect(() => connectEventStream('http://127.0.0.1:1/', { maxRetries: -1 })).toThrow(
      expect.objectContaining({ code: 'EVENTS_INVALID_OPTIONS' }),
    );
  });

  it('ends with EVENTS_EVENT_TOO_LARGE on a block over maxBlockChars instead of reconnecting for ever', async () => {
    const big = { ...event(2), data: { messageId: 'm1', delta: 'x'.repeat(5000) } };
    const server = scripted(() => sse(frames(1) + encodeSseEvent(big), 'close'));
    const controller = new AbortController();
    const guard = setTimeout(() => controller.abort(), 3000); // only reached if it loops
    const result = await collect({
      fetch: server.fetch,
      maxBlockChars: 4096,
      signal: controller.signal,
    });
    clearTimeout(guard);
    expect(result.seqs).toEqual([1]);
    expect(result.thrown).toMatchObject({
      code: 'EVENTS_EVENT_TOO_LARGE',
      retryable: false,
      details: { limit: 4096, lastSeq: 1 },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('the default block cap carries the largest event a default bus lets through', async () => {
    expect(DEFAULT_MAX_SSE_BLOCK_CHARS).toBeGreaterThanOrEqual(DEFAULT_MAX_EVENT_BYTES + 64);
    const bus = new EventBus({ onError: () => {} });
    const huge = bus.emit({
      type: 'message.delta',
      sessionId: 's1',
      runId: 'r1',
      data: { messageId: 'm1', delta: 'x'.repeat(9 * 1024 * 1024) },
    });
    const server = scripted(() => sse(encodeSseEvent(huge), 'close'));
    const result = await collect({ fetch: server.fetch, take: 1 });
    expect(result.thrown).toBeUndefined();
    expect(result.events).toEqual([huge]);
  });

  it('clamps a server retry: 0 and backs off while connections bring no event (no reconnect storm)', async () => {
    const server = scripted(() => sse(encodeSseRetry(0), 'close'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1000);
    const result = await collect({ fetch: server.fetch, retryMs: 1000, signal: controller.signal });
    expect(result.thrown).toBeUndefined();
    // At least 250 ms, doubling: a handful of requests in a second, not hundreds.
    expect(server.requests.length).toBeGreaterThanOrEqual(1);
    expect(server.requests.length).toBeLessThanOrEqual(8);
  });

  it('clamps a huge server retry to maxRetryMs', async () => {
    const server = scripted(
      () => sse(encodeSseRetry(999_999_999) + frames(1), 'drop'),
      () => sse(frames(2), 'close'),
    );
    const started = Date.now();
    const result = await collect({ fetch: server.fetch, take: 2, minRetryMs: 10, maxRetryMs: 100 });
    expect(result.seqs).toEqual([1, 2]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('backs off exponentially with jitter on consecutive failures', async () => {
    const server = scripted(() => {
      throw new TypeError('fetch failed');
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 600);
    const times: number[] = [];
    const fetch: FetchLike = (url, init) => {
      times.push(performance.now());
      return server.fetch(url, init);
    };
    await collect({ fetch, retryMs: 20, minRetryMs: 0, signal: controller.signal });
    // 20 ms doubling (each jittered into its upper half): about 5 attempts in 600 ms; a fixed 20 ms would be ~30.
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times.length).toBeLessThanOrEqual(8);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[0]!);
  });
});
