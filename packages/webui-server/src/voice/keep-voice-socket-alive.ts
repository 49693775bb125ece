import type { WebSocket } from 'ws';

/**
 * Pings an accepted voice socket every `intervalMs` and terminates it when the
 * previous ping went unanswered for a whole interval. Why: a peer that vanished
 * without a close (a laptop that slept, a changed network) leaves a half-open
 * TCP connection that the kernel may keep for hours, and with it the session's
 * one voice claim, so the browser's reconnect would be refused as busy. Ending
 * the socket fires its `close`, which gives the claim back.
 */
export function keepVoiceSocketAlive(socket: WebSocket, intervalMs: number): void {
  let answered = true;
  socket.on('pong', () => {
    answered = true;
  });
  const timer = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    if (!answered) return void socket.terminate();
    answered = false;
    socket.ping();
  }, intervalMs);
  timer.unref(); // never what keeps a closing server alive
  socket.once('close', () => clearInterval(timer));
}
