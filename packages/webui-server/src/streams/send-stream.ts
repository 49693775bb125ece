import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { ApiContext } from '../server/api-context.js';
import { OpenEventStream } from '../sse/open-event-stream.js';

/**
 * A signal for one streaming response: aborted when its client goes away
 * (the connection closes) or when the server closes (every stream ends
 * cleanly). A run is never tied to it: a disconnect only ends the stream.
 */
export function streamSignal(reply: FastifyReply, context: ApiContext): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => gone.abort());
  return AbortSignal.any([gone.signal, context.streams.signal]);
}

/**
 * Sends a run's stream (SSE frames of a front end's protocol) as the
 * response with `headers`, and tracks it among the open streams until its
 * connection is done with it. Such a stream ends by itself at its run's end,
 * so a graceful close (which cancels the runs) waits, bounded, for it to
 * deliver that end and close.
 */
export function sendStream(
  reply: FastifyReply,
  context: ApiContext,
  response: {
    sessionId: string;
    stream: ReadableStream<string>;
    headers: Readonly<Record<string, string>>;
  },
): FastifyReply {
  const { sessionId, stream, headers } = response;
  reply.headers(headers);
  const done = new Promise<void>((resolve) => reply.raw.once('close', resolve));
  // No `id:` frames to count: it counts as delivered once its connection is done.
  const open = new OpenEventStream({ sessionId, afterSeq: 0, done });
  context.openStreams.add(open);
  void done.then(() => context.openStreams.delete(open));
  return reply.send(Readable.fromWeb(stream.pipeThrough(new TextEncoderStream())));
}
