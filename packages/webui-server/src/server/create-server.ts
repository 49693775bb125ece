import helmet from '@fastify/helmet';
import { createRedactor } from '@switchboard/events';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { toErrorResponse } from '../errors/to-error-body.js';
import { WebuiServerError } from '../errors/webui-server-error.js';
import { createHostCheck } from '../security/host-check.js';
import { isLoopbackAddress } from '../security/host-names.js';
import { trackConnections } from './connection-tracker.js';
import type { ApiContext } from './api-context.js';
import { parseServerOptions } from './parse-server-options.js';
import { registerApi } from './register-api.js';
import {
  serverOptionsSchema,
  type ResolvedServerOptions,
  type ServerOptions,
} from './server-options.js';

/** What {@link createServer} returns. */
export interface WebuiServer {
  /** The Fastify app (`app.inject()` in tests). It is ready: pass routes outside `/api` as `options.routes`. */
  readonly app: FastifyInstance;
  /** Starts listening on `host:port`; resolves with the base URL (`http://127.0.0.1:8420`). */
  listen(): Promise<string>;
  /**
   * Closes gracefully: new runs are refused, active runs get
   * `shutdownGraceMs` to finish and are then cancelled (keeping what they
   * produced) and saved, the bus is flushed, event streams end, injected
   * plugins close. Sessions stay loadable by the next process. The agent
   * itself stays open: its owner closes it.
   */
  close(): Promise<void>;
}

/**
 * A Fastify server with the Switchboard web API under `/api`, secure by
 * default: it listens on 127.0.0.1, refuses a non-loopback `host` without a
 * `token` (`WEBUI_INSECURE_BIND`), checks Host and Origin on every request,
 * sends helmet's security headers, limits bodies to 1 MiB and rate-limits
 * run creation. Unknown routes answer `404 WEBUI_NOT_FOUND` as JSON.
 * Options are validated once (`WEBUI_INVALID_OPTIONS` lists every issue).
 */
export async function createServer(options: ServerOptions): Promise<WebuiServer> {
  const resolved = parseServerOptions(serverOptionsSchema, options);
  if (!isLoopbackAddress(resolved.host) && resolved.token === undefined) {
    throw new WebuiServerError({
      code: 'WEBUI_INSECURE_BIND',
      message: `Refusing to listen on ${resolved.host} without a token: anyone on the network could run the agent.`,
      hint: 'Set SWITCHBOARD_TOKEN (16+ characters, e.g. openssl rand -hex 32), or listen on 127.0.0.1.',
    });
  }
  const app = Fastify({
    logger: loggerOptions(resolved.logger),
    bodyLimit: resolved.bodyLimit,
    // Our own 503 (WEBUI_SHUTTING_DOWN) in the error model, not Fastify's.
    return503OnClosing: false,
    // avvio bounds close hooks by this too: the API's close may take the grace twice
    // (runs finishing, then cancelled runs saving) plus flushing, past the default 10 s.
    pluginTimeout: Math.max(10_000, 2 * resolved.shutdownGraceMs + 10_000),
  });
  await app.register(helmet, { global: true });
  const redactor = createRedactor({ secrets: [resolved.token] });
  app.addHook(
    'onRequest',
    createHostCheck({ allowedHosts: resolved.allowedHosts, listenHost: resolved.host }),
  );
  app.setErrorHandler((error, request, reply) => {
    const response = toErrorResponse(error, redactor);
    if (response.internal) request.log.error({ err: error }, 'request failed');
    return reply.status(response.status).send(response.body);
  });
  app.setNotFoundHandler((request) => {
    throw new WebuiServerError({
      code: 'WEBUI_NOT_FOUND',
      message: `No route ${request.method} ${request.url.split('?')[0]}.`,
    });
  });
  const connections = trackConnections(app.server);
  let api: ApiContext | undefined;
  await app.register(
    async (instance) => {
      api = await registerApi(instance, resolved, {
        listenHost: resolved.host,
        onDrained: () => connections.closeUnused(),
      });
    },
    { prefix: '/api' },
  );
  if (resolved.routes) await app.register(resolved.routes);
  await app.ready();

  return {
    app,
    async listen() {
      await app.listen({ host: resolved.host, port: resolved.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : resolved.port;
      const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
      return `http://${host}:${port}`;
    },
    close: () => {
      // Refuse new work from this moment, not only once Fastify runs its close hooks.
      if (api) api.closing = true;
      api?.services?.runs.stopAccepting();
      return app.close();
    },
  };
}

/** Fastify logger options: pino with credentials never logged. */
function loggerOptions(logger: ResolvedServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false) return false;
  const base = logger === true ? {} : logger;
  return {
    level: 'info',
    ...base,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["sec-websocket-protocol"]',
      ],
      censor: '[REDACTED]',
    },
  };
}
