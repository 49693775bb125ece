import { withTimeout } from '../runs/with-timeout.js';
import type { ApiContext } from './api-context.js';

/**
 * The API's part of a graceful close, in order: refuse new runs; give the
 * active runs `shutdownGraceMs` to finish; close every session (a run still
 * going is cancelled, keeping its partial output, and saved), bounded by the
 * same grace; flush the bus, so the terminal events reach the log and the
 * open streams; then end every event stream cleanly and tell the server
 * (which then closes the connections that carry nothing).
 */
export async function shutDownApi(context: ApiContext): Promise<void> {
  const services = context.services;
  if (services) {
    const { runs, sessions, agent } = services;
    const grace = context.options.shutdownGraceMs;
    runs.stopAccepting();
    await withTimeout(Promise.all(sessions.openSessions().map((session) => session.idle())), grace);
    await withTimeout(sessions.closeAll(), grace);
    await agent.bus.flush();
  }
  context.streams.abort();
  // Wait until the ended streams are written out: their connections are then
  // idle, and the HTTP server closes idle connections right away.
  await withTimeout(Promise.all(context.openStreams), 1000);
  context.onDrained?.();
}
