import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestHookHandler } from 'fastify';
import { WebuiServerError } from '../errors/webui-server-error.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * An `onRequest` hook that requires `Authorization: Bearer <token>`. Both
 * sides are hashed first, so the comparison takes the same time whatever
 * the length or content of the guess. CORS preflights carry no credentials
 * and are let through (they change nothing).
 */
export function createBearerAuth(token: string): onRequestHookHandler {
  const expected = digest(token);
  return (request, reply, done) => {
    if (request.method === 'OPTIONS') return done();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
    if (match && timingSafeEqual(digest(match[1]!), expected)) return done();
    reply.header('www-authenticate', 'Bearer realm="switchboard"');
    done(
      new WebuiServerError({
        code: 'WEBUI_UNAUTHORIZED',
        message: match ? 'The bearer token is wrong.' : 'This server needs a bearer token.',
        hint: 'Send Authorization: Bearer <token> (the SWITCHBOARD_TOKEN the server was started with).',
      }),
    );
  };
}
