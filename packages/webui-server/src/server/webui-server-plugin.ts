import type { FastifyPluginAsync } from 'fastify';
import { parseServerOptions } from './parse-server-options.js';
import { registerApi } from './register-api.js';
import { apiOptionsSchema, type ApiOptions } from './server-options.js';

/**
 * The Switchboard web API as a Fastify plugin, for an app that has its own
 * Fastify server: register it with a prefix (`/api` is what the web app
 * expects). It brings its own security checks (Host, Origin, bearer token,
 * JSON only), error model and graceful close; the host app adds helmet,
 * body limits and listening (or uses {@link createServer}, which does all
 * of that).
 *
 * ```ts
 * await app.register(webuiServerPlugin, { prefix: '/api', agent });
 * ```
 */
export const webuiServerPlugin: FastifyPluginAsync<ApiOptions> = async (fastify, options) => {
  await registerApi(fastify, parseServerOptions(apiOptionsSchema, options));
};
