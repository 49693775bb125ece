import { z } from 'zod';
import {
  requestParamsSchema,
  respondBodySchema,
  runParamsSchema,
  sessionParamsSchema,
  startRunBodySchema,
  steerBodySchema,
} from '../schemas/api-schemas.js';
import { requireAgent, type ApiContext, type ApiInstance } from '../server/api-context.js';

/** Runs: start, cancel, steer, answer approvals and questions. */
export function registerRunRoutes(api: ApiInstance, context: ApiContext): void {
  const { runs: limit } = context.options.rateLimit;

  api.post(
    '/sessions/:id/runs',
    {
      config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
      schema: {
        params: sessionParamsSchema,
        body: startRunBodySchema,
        response: { 202: z.object({ runId: z.string() }) },
      },
    },
    async (request, reply) => {
      const { sessions, runs } = requireAgent(context);
      const session = await sessions.get(request.params.id);
      const { runId } = await runs.start(session, request.body);
      return reply.status(202).send({ runId });
    },
  );

  api.post(
    '/sessions/:id/runs/:runId/cancel',
    {
      schema: {
        params: runParamsSchema,
        response: { 200: z.object({ runId: z.string(), cancelled: z.boolean() }) },
      },
    },
    async (request) => {
      const { sessions, runs } = requireAgent(context);
      const session = await sessions.get(request.params.id);
      return runs.cancel(session, request.params.runId);
    },
  );

  api.post(
    '/sessions/:id/steer',
    {
      schema: {
        params: sessionParamsSchema,
        body: steerBodySchema,
        response: { 202: z.object({ steerId: z.string(), runActive: z.boolean() }) },
      },
    },
    async (request, reply) => {
      const { sessions, runs } = requireAgent(context);
      const session = await sessions.get(request.params.id);
      return reply.status(202).send(runs.steer(session, request.body.text));
    },
  );

  api.post(
    '/sessions/:id/requests/:requestId',
    {
      schema: {
        params: requestParamsSchema,
        body: respondBodySchema,
        response: {
          200: z.object({ requestId: z.string(), resumedRunId: z.string().optional() }),
        },
      },
    },
    async (request) => {
      const { sessions, runs } = requireAgent(context);
      const session = await sessions.get(request.params.id);
      return runs.respond(session, request.params.requestId, request.body);
    },
  );
}
