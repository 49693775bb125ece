import { withTimeout } from '../runs/with-timeout.js';
import type { ApiContext } from './api-context.js';

/** How long close waits for open streams to deliver the log's last events. */
const STREAM_DRAIN_MS = 2_000;

/**
 * The API's part of a graceful close, in order: refuse new runs; give the
 * active runs `shutdownGraceMs` to finish; cancel the ones still going (they
 * keep their partial output) and wait, bounded by the same grace, until they
 * are saved; flush the bus, so the terminal events reach the log, and let
 * every open stream write them; then end every event stream cleanly and tell the server
 * (which then closes the connections that carry nothing).
 *
 * Session handles are not closed: agent-core's `close()` ends a session for
 * good (a later load keeps it closed). Their writer leases lapse with this
 * process, so the next process loads them; with idle release (a shared
 * database) they are released here, so another instance takes them at once.
 */
export async function shutDownApi(context: ApiContext): Promise<void> {
  const services = context.services;
  if (services) {
    const { runs, sessions, agent } = services;
    const grace = context.options.shutdownGraceMs;
    runs.stopAccepting();
    const open = sessions.openSessions();
    await withTimeout(Promise.all(open.map((session) => session.idle())), grace);
    for (const session of open) session.cancel('the server is shutting down');
    await withTimeout(Promise.all(open.map((session) => session.idle())), grace);
    await agent.bus.flush();
    // Sessions shared with other instances are handed over now rather than when their leases run out.
    await withTimeout(sessions.close(), grace);
    // Every watcher gets what the log now holds (the runs' terminal events)
    // before its stream ends, bounded for a client that reads too slowly.
    await withTimeout(
      Promise.all(
        [...context.openStreams].map(async (stream) =>
          stream.reached((await services.log.head(stream.sessionId)).seq),
        ),
      ),
      STREAM_DRAIN_MS,
    );
  }
  context.streams.abort();
  // Wait until the ended streams are written out: their connections are then
  // idle, and the HTTP server closes idle connections right away.
  await withTimeout(Promise.all([...context.openStreams].map((stream) => stream.done)), 1000);
  context.onDrained?.();
}
