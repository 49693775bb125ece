import type { Socket } from 'node:net';
import { expect } from 'vitest';
import { startTestServer } from './test-server.js';

/**
 * A test server listening on a loopback port, with helpers over real HTTP
 * (fetch, like a browser) and the set of open sockets (to drop connections).
 */
export async function startListeningServer(...args: Parameters<typeof startTestServer>) {
  const t = await startTestServer(...args);
  const base = await t.server.listen();
  const sockets = new Set<Socket>();
  t.server.app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const post = async (path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };
  const newSession = async () => (await post('/api/sessions')).body.id!;
  const startRun = async (sessionId: string, input: string) => {
    const { status, body } = await post(`/api/sessions/${sessionId}/runs`, { input });
    expect(status).toBe(202);
    return body.runId!;
  };
  return {
    t,
    base,
    sockets,
    post,
    newSession,
    startRun,
    [Symbol.asyncDispose]: () => t[Symbol.asyncDispose](),
  };
}
