import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { WebuiServerError } from '../errors/webui-server-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** CORS response headers for an allowed cross-origin request. */
export function applyCors(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'Origin');
  reply.header('access-control-expose-headers', 'retry-after, x-switchboard-events');
}

/**
 * An `onRequest` hook that refuses state-changing requests (anything but
 * GET, HEAD and OPTIONS) sent by a page of another origin: `403
 * WEBUI_FORBIDDEN_ORIGIN` unless the `Origin` header is this server
 * (same host as the `Host` header) or one of `allowedOrigins`. Requests
 * without `Origin` (curl, server-to-server) are not from a browser page and
 * pass. Allowed foreign origins get CORS headers; without any, CORS is off.
 * A WebSocket handshake is a GET that opens a two-way channel, so it is
 * checked like a state-changing request (cross-site WebSocket hijacking).
 */
export function createOriginCheck(allowedOrigins: readonly string[]): onRequestHookHandler {
  const allowed = new Set(allowedOrigins.map((origin) => origin.toLowerCase()));
  return (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin === undefined) return done();
    if (allowed.has(origin.toLowerCase())) {
      applyCors(reply, origin);
      return done();
    }
    const safe = SAFE_METHODS.has(request.method) && request.headers.upgrade === undefined;
    if (safe || isSameOrigin(request, origin)) return done();
    done(
      new WebuiServerError({
        code: 'WEBUI_FORBIDDEN_ORIGIN',
        message: `Requests from ${JSON.stringify(origin.slice(0, 200))} are not allowed.`,
        hint: 'Add the origin to allowedOrigins if this app should call the API.',
      }),
    );
  };
}

/** The page's origin names the host the request was sent to (the Host header is checked before). */
function isSameOrigin(request: FastifyRequest, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (sandboxed frames, file://) and garbage
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.host.toLowerCase() === (request.headers.host ?? '').toLowerCase()
  );
}
