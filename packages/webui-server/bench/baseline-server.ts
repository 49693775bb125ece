// The baseline of the SSE bench, in its own process: a bare Fastify SSE
// endpoint. `play` writes the given events (the frames the subject sent for
// one run, re-stamped with the current time) to every open connection, with
// the gaps they had: one JSON.stringify per event, written to all.
import type { ServerResponse } from 'node:http';
import { SSE_HEADERS, encodeSseEvent, type AnyEvent } from '@switchboard/events';
import Fastify from 'fastify';
import { serveRequests } from './child-ipc.js';

const app = Fastify({ logger: false });
const clients = new Set<ServerResponse>();
app.get('/events', (_request, reply) => {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, SSE_HEADERS);
  raw.write(': opened\n\n');
  clients.add(raw);
  raw.once('close', () => clients.delete(raw));
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });

serveRequests(async (request) => {
  if (request.type === 'rss') return process.memoryUsage().rss;
  if (request.type === 'play') {
    const events = request.events as Array<{ event: AnyEvent; gapMs: number }>;
    for (const { event, gapMs } of events) {
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
      const frame = encodeSseEvent({ ...event, ts: Date.now() });
      for (const client of clients) client.write(frame);
    }
    return true;
  }
  throw new Error(`unknown request ${request.type}`);
});
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
process.send!({ type: 'ready', url });
