// The second baseline of the SSE bench: a bare Fastify SSE endpoint inside
// the subject's own process, fed by the same agent's bus. It sees the same
// runs at the same time as the webui server's route would (the process is
// just as busy), so comparing the two isolates the cost of the SSE path.
import type { ServerResponse } from 'node:http';
import type { Agent } from '@switchboard/agent-core';
import { SSE_HEADERS, encodeSseEvent } from '@switchboard/events';
import Fastify from 'fastify';

/**
 * Starts `GET /events/:id` on its own port: every stored event of session
 * `:id` is serialised once (`encodeSseEvent`, one `JSON.stringify`) and
 * written to every socket watching it. Returns its base URL and a close.
 */
export async function startSameProcessBaseline(
  agent: Agent,
): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  const watchers = new Map<string, Set<ServerResponse>>();
  app.get<{ Params: { id: string } }>('/events/:id', (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, SSE_HEADERS);
    raw.write(': opened\n\n');
    const id = request.params.id;
    let set = watchers.get(id);
    if (!set) watchers.set(id, (set = new Set()));
    const clients = set;
    clients.add(raw);
    raw.once('close', () => clients.delete(raw));
  });
  // Called once each event is stored, as the webui server's log subscription is.
  const off = agent.bus.on('*', (event) => {
    const clients = watchers.get(event.sessionId);
    if (!clients || clients.size === 0) return;
    const frame = encodeSseEvent(event);
    for (const client of clients) client.write(frame);
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    async close() {
      off();
      await app.close();
    },
  };
}
