import { Readable } from 'node:stream';
import { SSE_HEADERS, createResumableEventStream, parseLastEventId } from '@switchboard/events';
import { eventsQuerySchema, sessionParamsSchema } from '../schemas/api-schemas.js';
import { requireAgent, type ApiContext, type ApiInstance } from '../server/api-context.js';
import { OpenEventStream } from '../sse/open-event-stream.js';

/**
 * `GET /sessions/:id/events`: the session's events as SSE, replayed from the
 * event log after the cursor (`Last-Event-ID`, else `?after=`, else the
 * start) and then live. Each connection reads the log on its own, so every
 * tab gets every event, a slow client only delays itself (it is pulled at
 * its own pace, with no per-client queue on the server), and a client that
 * goes away ends only its stream, never the run. Deleting the session ends
 * its streams with a last `: session deleted` comment.
 */
export function registerEventStreamRoute(api: ApiInstance, context: ApiContext): void {
  api.get(
    '/sessions/:id/events',
    { schema: { params: sessionParamsSchema, querystring: eventsQuerySchema } },
    async (request, reply) => {
      const { sessions, log } = requireAgent(context);
      // Held by another instance is fine: the stream is read from the shared log.
      const sessionId = await sessions.streamable(request.params.id);
      const header = request.headers['last-event-id'];
      const lastEventId = Array.isArray(header) ? header[0] : header;
      const afterSeq = parseLastEventId(request.query.after);
      const done = new Promise<void>((resolve) => reply.raw.once('close', resolve));
      const open = new OpenEventStream({
        sessionId,
        afterSeq: parseLastEventId(lastEventId) ?? afterSeq ?? 0,
        done,
      });
      const stream = await createResumableEventStream(log, sessionId, {
        lastEventId,
        afterSeq,
        keepAliveMs: context.options.heartbeatMs,
        retryMs: context.options.sseRetryMs,
        // The server closing ends every stream; deleting the session ends its own.
        signal: AbortSignal.any([context.streams.signal, open.signal]),
      });
      reply.headers(SSE_HEADERS);
      context.openStreams.add(open);
      void done.then(() => context.openStreams.delete(open));
      const body = stream.pipeThrough(open.track()).pipeThrough(new TextEncoderStream());
      return reply.send(Readable.fromWeb(body));
    },
  );
}
