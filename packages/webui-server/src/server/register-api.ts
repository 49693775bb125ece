import rateLimit from '@fastify/rate-limit';
import { createRedactor } from '@switchboard/events';
import type { FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AttachmentStore } from '../attachments/attachment-store.js';
import { toErrorResponse } from '../errors/to-error-body.js';
import { WebuiServerError } from '../errors/webui-server-error.js';
import { registerAgUiRoute } from '../routes/ag-ui-route.js';
import { registerAttachmentRoutes } from '../routes/attachment-routes.js';
import { registerAiSdkChatRoutes } from '../routes/ai-sdk-chat-routes.js';
import { registerEventStreamRoute } from '../routes/event-stream-route.js';
import { registerMetaRoutes } from '../routes/meta-routes.js';
import { registerRunRoutes } from '../routes/run-routes.js';
import { registerSessionRoutes } from '../routes/session-routes.js';
import { registerTransferRoutes } from '../routes/transfer-routes.js';
import { registerVoiceRoute } from '../routes/voice-route.js';
import { RunService } from '../runs/run-service.js';
import { createBearerAuth } from '../security/bearer-auth.js';
import { createHostCheck } from '../security/host-check.js';
import { applyCors, createOriginCheck } from '../security/origin-check.js';
import { AgentFeatures } from '../sessions/agent-features.js';
import { SessionRegistry } from '../sessions/session-registry.js';
import { FanOutHubs } from '../sse/fan-out-hubs.js';
import type { AgentServices, ApiContext } from './api-context.js';
import { registerOpenApi } from './register-openapi.js';
import { shutDownApi } from './shut-down-api.js';
import type { ResolvedApiOptions } from './server-options.js';
import type { Detach } from './webui-plugin.js';

/**
 * Declares the API on `fastify` (an encapsulated instance, normally under
 * the `/api` prefix): security hooks, the error model, the routes, the
 * injected plugins, and a graceful close. Shared by {@link webuiServerPlugin}
 * and {@link createServer}; options are already parsed.
 */
export async function registerApi(
  fastify: FastifyInstance,
  options: ResolvedApiOptions,
  server: { listenHost?: string; onDrained?: () => void } = {},
): Promise<ApiContext> {
  const { listenHost, onDrained } = server;
  const attachments = options.attachmentsDir
    ? new AttachmentStore({ dir: options.attachmentsDir })
    : undefined;
  const context: ApiContext = {
    options,
    redactor: createRedactor({ secrets: [options.token] }),
    streams: new AbortController(),
    openStreams: new Set(),
    closing: false,
    ...(onDrained ? { onDrained } : {}),
    services: options.agent ? createServices(options, attachments) : undefined,
    attachments,
  };
  const api = fastify.withTypeProvider<ZodTypeProvider>();
  api.setValidatorCompiler(validatorCompiler);
  api.setSerializerCompiler(serializerCompiler);
  // Only JSON bodies: a text/plain POST is what a foreign page can send without a preflight.
  api.removeContentTypeParser(['text/plain']);

  api.setErrorHandler((error, request, reply) => {
    const response = toErrorResponse(error, context.redactor);
    if (response.internal) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: response.body.error.code }, response.body.error.message);
    return reply.status(response.status).send(response.body);
  });
  api.setNotFoundHandler((request) => {
    throw new WebuiServerError({
      code: 'WEBUI_NOT_FOUND',
      message: `No route ${request.method} ${request.url.split('?')[0]}.`,
    });
  });

  api.addHook('onRequest', (_request, _reply, done) => {
    if (!context.closing) return done();
    done(
      new WebuiServerError({
        code: 'WEBUI_SHUTTING_DOWN',
        message: 'The server is shutting down.',
        hint: 'Retry once it is back.',
      }),
    );
  });
  api.addHook(
    'onRequest',
    createHostCheck({ allowedHosts: options.allowedHosts, ...(listenHost ? { listenHost } : {}) }),
  );
  api.addHook('onRequest', createOriginCheck(options.allowedOrigins));
  if (options.token !== undefined) api.addHook('onRequest', createBearerAuth(options.token));

  await registerOpenApi(api, context);

  // CORS preflight for allowed origins (CORS stays off without any).
  const allowed = new Set(options.allowedOrigins.map((origin) => origin.toLowerCase()));
  api.options('/*', { schema: { hide: true } }, (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined || !allowed.has(origin.toLowerCase())) {
      throw new WebuiServerError({
        code: 'WEBUI_FORBIDDEN_ORIGIN',
        message: 'CORS is not enabled for this origin.',
        hint: 'Add the origin to allowedOrigins.',
      });
    }
    applyCors(reply, origin);
    reply.header('access-control-allow-methods', 'GET, POST, PATCH, DELETE');
    reply.header('access-control-allow-headers', 'authorization, content-type, last-event-id');
    reply.header('access-control-max-age', '600');
    return reply.status(204).send();
  });

  if (!api.hasDecorator('rateLimit')) {
    await api.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, { after }) =>
        new WebuiServerError({
          code: 'WEBUI_RATE_LIMITED',
          message: `Too many requests of this kind; retry in ${after}.`,
          hint: 'Wait for the Retry-After header, or raise rateLimit.runs.max (runs) or rateLimit.uploads.max (uploads, imports).',
        }),
    });
  }

  registerMetaRoutes(api, context);
  registerSessionRoutes(api, context);
  registerRunRoutes(api, context);
  registerEventStreamRoute(api, context);
  registerAiSdkChatRoutes(api, context);
  registerAgUiRoute(api, context);
  registerTransferRoutes(api, context);
  await registerAttachmentRoutes(api, context);
  await registerVoiceRoute(api, context);

  const detaches: Detach[] = [];
  for (const plugin of options.plugins) {
    if (plugin.register) await api.register(plugin.register);
    if (plugin.attach && options.agent) {
      const detach = await plugin.attach(options.agent);
      if (typeof detach === 'function') detaches.push(detach);
    }
  }

  api.addHook('preClose', async () => {
    context.closing = true;
    await shutDownApi(context);
  });
  api.addHook('onClose', async () => {
    context.services?.runs.dispose();
    for (const detach of detaches.reverse()) await detach();
    for (const plugin of options.plugins) await plugin.close?.();
    await options.voice?.close?.();
  });
  return context;
}

function createServices(
  options: ResolvedApiOptions,
  attachments: AttachmentStore | undefined,
): AgentServices {
  const agent = options.agent!;
  const log = agent.bus.log;
  if (!log) {
    throw new WebuiServerError({
      code: 'WEBUI_NO_EVENT_LOG',
      message: "The agent's event bus has no event log; streams could not be resumed or replayed.",
      hint: 'Create the agent with bus: new EventBus({ log }) (e.g. SqliteEventLog from @switchboard/events/node).',
    });
  }
  const features = new AgentFeatures(agent);
  return {
    agent,
    log,
    hubs: new FanOutHubs(log),
    features,
    sessions: new SessionRegistry({
      agent,
      features,
      ...(options.idleReleaseMs === undefined ? {} : { idleReleaseMs: options.idleReleaseMs }),
    }),
    runs: new RunService({
      agent,
      shutdownGraceMs: options.shutdownGraceMs,
      ...(attachments ? { attachments } : {}),
    }),
  };
}
