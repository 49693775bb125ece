import type { onRequestHookHandler } from 'fastify';
import { WebuiServerError } from '../errors/webui-server-error.js';
import {
  LOOPBACK_HOST_NAMES,
  hostNameOf,
  isLoopbackAddress,
  normaliseHostName,
} from './host-names.js';

/** Options of {@link createHostCheck}. */
export interface HostCheckOptions {
  /** Extra host names accepted besides the loopback names. */
  allowedHosts: readonly string[];
  /** The address the server listens on; a specific non-wildcard address is accepted as a Host too. */
  listenHost?: string;
}

/**
 * An `onRequest` hook that refuses requests whose `Host` header is not a
 * loopback name, the listen address or an allowed host, with `421
 * WEBUI_FORBIDDEN_HOST`. A page on another site whose DNS name is rebound to
 * 127.0.0.1 still sends its own name as Host, so it never reaches the API
 * (DNS rebinding). Reusable for routes outside the API (static files).
 */
export function createHostCheck(options: HostCheckOptions): onRequestHookHandler {
  const allowed = new Set([...LOOPBACK_HOST_NAMES, ...options.allowedHosts.map(normaliseHostName)]);
  const listen = options.listenHost;
  if (listen && !['0.0.0.0', '::', '[::]'].includes(listen) && !isLoopbackAddress(listen))
    allowed.add(normaliseHostName(listen));
  return (request, _reply, done) => {
    const name = hostNameOf(request.headers.host);
    if (name !== undefined && allowed.has(name)) return done();
    done(
      new WebuiServerError({
        code: 'WEBUI_FORBIDDEN_HOST',
        message: `Host ${JSON.stringify(request.headers.host ?? '')} is not served here.`,
        hint: 'Open the app at http://127.0.0.1:<port>, or add the name to allowedHosts.',
      }),
    );
  };
}
