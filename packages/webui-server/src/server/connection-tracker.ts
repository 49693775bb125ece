import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Tracks the server's connections and the requests in flight on each, so a
 * graceful close can end the connections that carry nothing. Node's
 * `server.close()` only closes keep-alive connections it knows to be idle;
 * a connection a client opened and never used (browsers preconnect) keeps
 * the close waiting until the client gives it up, which can take minutes.
 */
export function trackConnections(server: Server): { closeUnused(): void } {
  const inFlight = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (request, response) => {
    const socket: Socket = request.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    response.once('close', () => {
      if (inFlight.has(socket)) inFlight.set(socket, Math.max(0, (inFlight.get(socket) ?? 1) - 1));
    });
  });
  return {
    closeUnused() {
      for (const [socket, count] of inFlight) if (count === 0) socket.destroy();
    },
  };
}
