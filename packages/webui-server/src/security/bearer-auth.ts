import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestHookHandler } from 'fastify';
import { WebuiServerError } from '../errors/webui-server-error.js';
import { BEARER_SUBPROTOCOL_PREFIX } from '../voice/voice-endpoint.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * An `onRequest` hook that requires `Authorization: Bearer <token>`. Both
 * sides are hashed first, so the comparison takes the same time whatever
 * the length or content of the guess. CORS preflights carry no credentials
 * and are let through (they change nothing). A WebSocket handshake, whose
 * browser API cannot set headers, may carry the token as the subprotocol
 * `switchboard.bearer.<base64url(token)>` instead.
 */
export function createBearerAuth(token: string): onRequestHookHandler {
  const expected = digest(token);
  return (request, reply, done) => {
    if (request.method === 'OPTIONS') return done();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
    const given = match?.[1] ?? subprotocolToken(request.headers);
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return done();
    reply.header('www-authenticate', 'Bearer realm="switchboard"');
    done(
      new WebuiServerError({
        code: 'WEBUI_UNAUTHORIZED',
        message:
          given !== undefined ? 'The bearer token is wrong.' : 'This server needs a bearer token.',
        hint: 'Send Authorization: Bearer <token> (the SWITCHBOARD_TOKEN the server was started with).',
      }),
    );
  };
}

/** The token offered as a `switchboard.bearer.*` subprotocol of a WebSocket handshake. */
function subprotocolToken(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  if (headers.upgrade?.toString().toLowerCase() !== 'websocket') return undefined;
  const offered = headers['sec-websocket-protocol'];
  if (typeof offered !== 'string') return undefined;
  for (const protocol of offered.split(',')) {
    const value = protocol.trim();
    if (value.startsWith(BEARER_SUBPROTOCOL_PREFIX))
      return Buffer.from(value.slice(BEARER_SUBPROTOCOL_PREFIX.length), 'base64url').toString();
  }
  return undefined;
}
