import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import * as client from '../client.js';
import type { EventsError } from '../errors/events-error.js';
import { loadFixture } from '../fixtures/index.js';
import { MemoryEventLog } from '../log/memory-event-log.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { parseEvent } from '../schema/parse-event.js';
import { connectEventStream as connectWithSchemas } from './connect-event-stream.js';
import type { FetchLike } from './connect-options.js';
import { encodeSseEvent } from './encode-sse.js';
import { createResumableEventStream } from './resume-sse.js';
import { SSE_HEADERS } from './sse-headers.js';

interface Seen {
  lastEventId: string | undefined;
  res: http.ServerResponse;
}

/** A loopback server streaming one session of `log` with resume, as webui-server does. */
async function startServer(log: MemoryEventLog, sessionId: string) {
  const requests: Seen[] = [];
  const server = http.createServer((req, res) => {
    const header = req.headers['last-event-id'];
    requests.push({ lastEventId: typeof header === 'string' ? header : undefined, res });
    void (async () => {
      const stream = await createResumableEventStream(log, sessionId, {
        lastEventId: typeof header === 'string' ? header : undefined,
        retryMs: 20,
        keepAliveMs: 1_000,
      });
      res.writeHead(200, SSE_HEADERS);
      res.flushHeaders();
      await pipeline(Readable.fromWeb(stream.pipeThrough(new TextEncoderStream())), res).catch(
        () => {},
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/events`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fetch that answers once with `text` as an SSE body. */
function answering(text: string): FetchLike {
  return () =>
    Promise.resolve(
      new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    );
}

async function collect(iterable: AsyncIterable<AnyEvent>, take: number): Promise<AnyEvent[]> {
  const out: AnyEvent[] = [];
  for await (const event of iterable) {
    out.push(event);
    if (out.length === take) break;
  }
  return out;
}

describe('connectEventStream from @switchboard/events/client', () => {
  it('reads a real loopback stream and resumes after a dropped connection, every seq once', async () => {
    const events = loadFixture('approval');
    const log = new MemoryEventLog();
    log.append(events.slice(0, 8)); // the rest arrives while the client is away
    const server = await startServer(log, 'ses_approval');
    cleanups.push(
      () => server.close(),
      () => log.close(),
    );

    const seqs: number[] = [];
    const errors: EventsError[] = [];
    const opened: unknown[] = [];
    for await (const event of client.connectEventStream(server.url, {
      onError: (error) => errors.push(error),
      onOpen: (data) => opened.push(data),
    })) {
      seqs.push(event.seq);
      if (seqs.length === 8) {
        server.requests[0]!.res.socket!.destroy(); // a network drop
        log.append(events.slice(8));
      }
      if (event.seq === events.length) break;
    }

    expect(seqs).toEqual(events.map((event) => event.seq));
    expect(server.requests.map((seen) => seen.lastEventId)).toEqual([undefined, '8']);
    expect(opened).toEqual([
      { headSeq: 8, sessionId: 'ses_approval' },
      { headSeq: events.length, sessionId: 'ses_approval' },
    ]);
    expect(errors.map((error) => error.code)).toEqual(['EVENTS_SSE_PROTOCOL']); // the drop
  });

  it('checks envelopes by default: a broken one is reported and stepped over, payloads pass', async () => {
    const good = loadFixture('plain-chat').slice(0, 3);
    const noSession = { ...good[1]!, sessionId: '' };
    // A known type with a payload the schemas reject: only the main entry's default sees it.
    const badPayload = { ...good[2]!, data: { nothing: true } };
    const text = encodeSseEvent(good[0]!) + encodeSseEvent(noSession) + encodeSseEvent(badPayload);
    const errors: EventsError[] = [];
    const light = await collect(
      client.connectEventStream('http://127.0.0.1:1/', {
        fetch: answering(text),
        onError: (error) => errors.push(error),
      }),
      2,
    );
    expect(light.map((event) => event.seq)).toEqual([1, 3]);
    expect(errors.map((error) => [error.code, error.message])).toEqual([
      ['EVENTS_INVALID_EVENT', 'Invalid event: sessionId: expected a non-empty string'],
    ]);

    const full: EventsError[] = [];
    const checked = await collect(
      connectWithSchemas('http://127.0.0.1:1/', {
        fetch: answering(text + encodeSseEvent({ ...good[2]!, seq: 4 })),
        onError: (error) => full.push(error),
      }),
      2,
    );
    expect(checked.map((event) => event.seq)).toEqual([1, 4]);
    expect(full.map((error) => error.code)).toEqual([
      'EVENTS_INVALID_EVENT',
      'EVENTS_INVALID_EVENT',
    ]);
  });

  it('takes an injected validate (parseEvent from the main entry, or anything else)', async () => {
    const good = loadFixture('plain-chat').slice(0, 2);
    const text = good.map((event) => encodeSseEvent(event)).join('');
    const seen: unknown[] = [];
    const events = await collect(
      client.connectEventStream('http://127.0.0.1:1/', {
        fetch: answering(text),
        validate: (raw) => {
          seen.push(raw);
          return parseEvent(raw);
        },
      }),
      2,
    );
    expect(events).toEqual(good);
    expect(seen).toHaveLength(2);

    const errors: EventsError[] = [];
    const abort = new AbortController();
    const none = client.connectEventStream('http://127.0.0.1:1/', {
      fetch: answering(text),
      signal: abort.signal,
      validate: () => {
        throw new Error('nope');
      },
      onError: (error) => {
        errors.push(error);
        if (errors.length === 2) abort.abort();
      },
    });
    expect(await collect(none, 1)).toEqual([]);
    expect(errors.map((error) => [error.code, error.message])).toEqual([
      ['EVENTS_INVALID_EVENT', 'Invalid event: nope'],
      ['EVENTS_INVALID_EVENT', 'Invalid event: nope'],
    ]);
  });

  it('checks options by hand with the same verdicts as the main entry schema', () => {
    // Untyped on purpose: these are what a JavaScript caller could pass.
    const call = (connect: (url: string, options: never) => unknown, options: unknown): unknown =>
      Reflect.apply(connect, undefined, ['http://127.0.0.1:1/', options]);
    const bad: unknown[] = [
      { lastEventId: 'abc' },
      { lastEventId: -1 },
      { maxRetries: -1 },
      { retryMs: 1.5 },
      { maxRetryMs: 0 },
      { minRetryMs: 500, maxRetryMs: 100 },
      { maxBlockChars: 10 },
      { fetch: 'not a function' },
      { validate: 42 },
      { headers: { authorization: 1 } },
    ];
    for (const options of bad) {
      for (const connect of [client.connectEventStream, connectWithSchemas]) {
        expect(() => call(connect, options), JSON.stringify(options)).toThrow(
          expect.objectContaining({ code: 'EVENTS_INVALID_OPTIONS' }),
        );
      }
    }
    const good = { lastEventId: '12', maxRetries: Infinity, retryMs: 0, headers: { a: 'b' } };
    for (const connect of [client.connectEventStream, connectWithSchemas])
      expect(() => connect('http://127.0.0.1:1/', good)).not.toThrow();
  });
});
