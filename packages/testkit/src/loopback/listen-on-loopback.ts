import type http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Starts `server` on 127.0.0.1 (`port` 0 picks a free one). `close` also
 * destroys open connections, so a stalled stream or a keep-alive client can
 * never hold a test's teardown.
 */
export async function listenOnLoopback(
  server: http.Server,
  port = 0,
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
