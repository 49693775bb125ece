import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../bus/event-bus.js';
import { EventsError } from '../errors/events-error.js';
import { MemoryEventLog } from '../log/memory-event-log.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { connectEventStream } from './connect-event-stream.js';
import { createResumableEventStream, parseLastEventId } from './resume-sse.js';
import { SSE_HEADERS } from './sse-headers.js';
import type { StreamOpenedData } from './transport-events.js';

const sessionId = 'sess-1';
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

interface SeenRequest {
  lastEventId: string | undefined;
  req: http.IncomingMessage;
  res: http.ServerResponse;
}

/** A loopback server that streams one session of `log`, the way webui-server would. */
async function startServer(log: MemoryEventLog) {
  const requests: SeenRequest[] = [];
  const hooks: { onRequest?: (seen: SeenRequest) => boolean } = {};
  const server = http.createServer((req, res) => void handle(req, res));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const header = req.headers['last-event-id'];
    const seen = { lastEventId: typeof header === 'string' ? header : undefined, req, res };
    requests.push(seen);
    if (hooks.onRequest?.(seen) === false) return;
    let stream: ReadableStream<string>;
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      stream = await createResumableEventStream(log, sessionId, {
        lastEventId: seen.lastEventId,
        afterSeq: parseLastEventId(url.searchParams.get('after')),
        retryMs: 20,
        keepAliveMs: 1_000,
      });
    } catch (error) {
      const known = EventsError.isInstance(error) && error.code === 'EVENTS_INVALID_CURSOR';
      const status = known ? (error.details?.reason === 'beyond-head' ? 409 : 400) : 500;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(known ? error.toJSON() : { message: String(error) }));
      return;
    }
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
    // pipeline destroys the source when the socket goes away, which cancels the SSE stream.
    await pipeline(Readable.fromWeb(stream.pipeThrough(new TextEncoderStream())), res).catch(
      () => {},
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://127.0.0.1:${port}/events`, requests, hooks, close };
}

function startProducer(total: number) {
  const log = new MemoryEventLog();
  const bus = new EventBus({ log });
  const state = { emitted: 0, maxEmitMs: 0 };
  const emitOne = () => {
    const started = performance.now();
    bus.emit({
      type: 'message.delta',
      sessionId,
      runId: 'r1',
      data: { messageId: 'm1', delta: `#${state.emitted + 1}` },
    });
    state.maxEmitMs = Math.max(state.maxEmitMs, performance.now() - started);
    state.emitted += 1;
  };
  return { log, bus, state, emitOne, total };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(total: number) {
  const producer = startProducer(total);
  const server = await startServer(producer.log);
  cleanups.push(
    () => producer.log.close(),
    () => producer.bus.close(),
    () => server.close(),
  );
  return { ...producer, server };
}

describe('SSE over a real HTTP connection', () => {
  it('survives a dropped connection: every seq exactly once, in order, and the producer never waits', async () => {
    const total = 500;
    const { server, state, emitOne } = await setup(total);
    const producing = (async () => {
      while (state.emitted < total) {
        emitOne();
        if (state.emitted < total) emitOne();
        await sleep(1);
      }
    })();

    const seqs: number[] = [];
    const connectionOf = new Map<number, number>();
    const opened: StreamOpenedData[] = [];
    const errors: EventsError[] = [];
    let emittedAtDrop = 0;
    let emittedAtReconnect = 0;
    server.hooks.onRequest = () => {
      if (server.requests.length === 2) emittedAtReconnect = state.emitted;
      return true;
    };
    for await (const event of connectEventStream(server.url, {
      retryMs: 60_000, // the server's retry: 20 must win, or this test times out
      onOpen: (data) => opened.push(data),
      onError: (error) => errors.push(error),
    })) {
      seqs.push(event.seq);
      connectionOf.set(event.seq, opened.length);
      if (seqs.length === 40) {
        emittedAtDrop = state.emitted;
        server.requests[0]!.res.socket!.destroy(); // a network drop mid-stream
      }
      if (event.seq === total) break;
    }
    await producing;

    expect(seqs).toEqual(range(1, total));
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests[0]!.lastEventId).toBeUndefined();
    const resumedAfter = Number(server.requests[1]!.lastEventId);
    expect(resumedAfter).toBeGreaterThanOrEqual(40);
    expect(connectionOf.get(resumedAfter)).toBe(1);
    expect(connectionOf.get(resumedAfter + 1)).toBe(2);
    expect(opened[1]!.headSeq).toBeGreaterThanOrEqual(resumedAfter);
    expect(opened.every((data) => data.sessionId === sessionId)).toBe(true);
    expect(errors.map((error) => error.code)).toEqual(['EVENTS_SSE_PROTOCOL']); // the drop
    // The producer kept going while nobody was connected, and emit never blocked.
    expect(emittedAtDrop).toBeLessThan(total);
    expect(emittedAtReconnect).toBeGreaterThan(emittedAtDrop);
    // An emit that waited for the client would last until the reconnect (the
    // server's retry: 20, clamped to the client's 250 ms minimum); the margin
    // below that is for a loaded machine.
    expect(state.maxEmitMs).toBeLessThan(200);
  });

  it('resumes a previous visit from its stored cursor, even if the first connection drops at once', async () => {
    const { server, bus, emitOne } = await setup(60);
    for (let index = 0; index < 50; index++) emitOne();
    await bus.flush();

    const firstVisit: AnyEvent[] = [];
    for await (const event of connectEventStream(server.url)) {
      firstVisit.push(event);
      if (firstVisit.length === 20) break; // the tab closes
    }
    const stored = firstVisit.at(-1)!.seq;
    expect(stored).toBe(20);

    const before = server.requests.length;
    server.hooks.onRequest = (seen) => {
      if (server.requests.length !== before + 1) return true;
      seen.req.socket.destroy(); // drop before any id arrives (MCP TS SDK #2499)
      return false;
    };
    const secondVisit: number[] = [];
    for await (const event of connectEventStream(server.url, {
      lastEventId: stored,
      retryMs: 10,
    })) {
      secondVisit.push(event.seq);
      if (event.seq === 50) for (let index = 0; index < 10; index++) emitOne(); // live tail
      if (event.seq === 60) break;
    }
    expect(secondVisit).toEqual(range(21, 60));
    expect(server.requests.slice(before).map((seen) => seen.lastEventId)).toEqual(['20', '20']);
  });

  it('sends the SSE headers, retry and the opened frame first', async () => {
    const { server, bus, emitOne } = await setup(1);
    emitOne();
    await bus.flush();
    const abort = new AbortController();
    const response = await fetch(server.url, { signal: abort.signal });
    expect(response.status).toBe(200);
    for (const [name, value] of Object.entries(SSE_HEADERS))
      expect(response.headers.get(name)).toBe(value);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('id: 1\n')) text += new TextDecoder().decode((await reader.read()).value);
    expect(
      text.startsWith(
        'retry: 20\n\ndata: {"v":1,"type":"stream.opened","data":{"headSeq":1,"sessionId":"sess-1"}}\n\nid: 1\ndata: {"v":1,"type":"message.delta","seq":1,',
      ),
    ).toBe(true);
    abort.abort();
  });

  it('answers 400 with EVENTS_INVALID_CURSOR for a malformed cursor, and 409 for one beyond the head', async () => {
    const { server, bus, emitOne } = await setup(3);
    for (let index = 0; index < 3; index++) emitOne();
    await bus.flush();

    const malformed = await fetch(server.url, { headers: { 'last-event-id': 'k3f9:12' } });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      code: 'EVENTS_INVALID_CURSOR',
      details: { reason: 'malformed' },
    });
    const badQuery = await fetch(`${server.url}?after=-1`);
    expect(badQuery.status).toBe(400);
    const ahead = await fetch(server.url, { headers: { 'last-event-id': '4' } });
    expect(ahead.status).toBe(409);
    expect(await ahead.json()).toMatchObject({
      code: 'EVENTS_INVALID_CURSOR',
      details: { reason: 'beyond-head', headSeq: 3 },
    });

    // The client gives up on a 4xx instead of retrying forever.
    const errors: EventsError[] = [];
    const before = server.requests.length;
    await expect(async () => {
      for await (const _event of connectEventStream(server.url, {
        lastEventId: 99,
        onError: (e) => errors.push(e),
      })) {
        // no events expected
      }
    }).rejects.toMatchObject({ code: 'EVENTS_SSE_PROTOCOL', details: { status: 409 } });
    expect(server.requests.length - before).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
