import {
  SSE_HEADERS,
  encodeSseOpened,
  encodeSseRetry,
  parseLastEventId,
  resolveResumeCursor,
} from '@switchboard/events';
import { eventsQuerySchema, sessionParamsSchema } from '../schemas/api-schemas.js';
import { requireAgent, type ApiContext, type ApiInstance } from '../server/api-context.js';
import { OpenEventStream } from '../sse/open-event-stream.js';
import { SseWatcher } from '../sse/sse-watcher.js';

/**
 * Bytes a watcher may leave queued on its socket before it stops taking live
 * frames and catches up from the log once its client reads again.
 */
export const STREAM_HIGH_WATER_MARK = 256 * 1024;

/**
 * `GET /sessions/:id/events`: the session's events as SSE, replayed from the
 * event log after the cursor (`Last-Event-ID`, else `?after=`, else the
 * start) and then live. The live events of a session are encoded once and
 * the same bytes written to each of its watchers (see `SessionFanOut`), so
 * every tab gets every event; a slow client only delays itself (past a
 * bounded socket buffer it catches up from the log at its own pace), and a
 * client that goes away ends only its stream, never the run. Deleting the
 * session ends its streams with a last `: session deleted` comment.
 */
export function registerEventStreamRoute(api: ApiInstance, context: ApiContext): void {
  api.get(
    '/sessions/:id/events',
    { schema: { params: sessionParamsSchema, querystring: eventsQuerySchema } },
    async (request, reply) => {
      const raw = reply.raw;
      const done = new Promise<void>((resolve) => raw.once('close', resolve));
      const { sessions, log, hubs } = requireAgent(context);
      // Held by another instance is fine: the stream is read from the shared log.
      const sessionId = await sessions.streamable(request.params.id);
      const header = request.headers['last-event-id'];
      const afterSeq = parseLastEventId(request.query.after);
      const { cursor, headSeq } = await resolveResumeCursor(log, sessionId, {
        lastEventId: Array.isArray(header) ? header[0] : header,
        ...(afterSeq === undefined ? {} : { afterSeq }),
      });
      // The frames are written to the socket directly, not through a body stream.
      reply.hijack();
      if (raw.destroyed) return reply; // the client left while the cursor was checked
      // The headers hooks set on the reply (CORS) go out with the SSE ones.
      reply.headers(SSE_HEADERS);
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined) raw.setHeader(name, value);
      raw.writeHead(200);
      const open = new OpenEventStream({ sessionId, afterSeq: cursor, done });
      context.openStreams.add(open);
      void done.then(() => context.openStreams.delete(open));
      new SseWatcher(
        {
          response: raw,
          log,
          hubs,
          sessionId,
          cursor,
          keepAliveMs: context.options.heartbeatMs,
          highWaterMark: STREAM_HIGH_WATER_MARK,
          // The server closing ends every stream; deleting the session ends its own.
          signal: AbortSignal.any([context.streams.signal, open.signal]),
          farewell: () => open.farewell,
          onAdvance: (seq) => open.advance(seq),
        },
        encodeSseRetry(context.options.sseRetryMs) + encodeSseOpened({ headSeq, sessionId }),
      );
      return reply;
    },
  );
}
