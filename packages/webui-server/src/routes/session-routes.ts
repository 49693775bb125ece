import {
  createSessionBodySchema,
  listSessionsQuerySchema,
  sessionMetaSchema,
  sessionParamsSchema,
  updateSessionBodySchema,
} from '../schemas/api-schemas.js';
import { readSessionView } from '../sessions/read-session-view.js';
import { requireAgent, type ApiContext, type ApiInstance } from '../server/api-context.js';
import { z } from 'zod';

/** Sessions: create, list, read (the shared view model), rename, delete (which ends the session's open streams). */
export function registerSessionRoutes(api: ApiInstance, context: ApiContext): void {
  api.post(
    '/sessions',
    { schema: { body: createSessionBodySchema.nullish(), response: { 201: sessionMetaSchema } } },
    async (request, reply) => {
      const { sessions, features } = requireAgent(context);
      const session = await sessions.create(request.body ?? {});
      return reply.status(201).send(features.meta(session));
    },
  );

  api.get(
    '/sessions',
    {
      schema: {
        querystring: listSessionsQuerySchema,
        response: {
          200: z.object({
            sessions: z.array(sessionMetaSchema),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const { features } = requireAgent(context);
      return features.listSessions(request.query);
    },
  );

  api.get('/sessions/:id', { schema: { params: sessionParamsSchema } }, async (request) => {
    const { sessions, features, log } = requireAgent(context);
    const session = await sessions.get(request.params.id);
    const { view, headSeq } = await readSessionView(log, session.id);
    return { ...features.meta(session), status: session.status, headSeq, view };
  });

  api.patch(
    '/sessions/:id',
    {
      schema: {
        params: sessionParamsSchema,
        body: updateSessionBodySchema,
        response: { 200: sessionMetaSchema },
      },
    },
    async (request) => {
      const { sessions, features } = requireAgent(context);
      const session = await sessions.get(request.params.id);
      const { title, model } = request.body;
      if (model !== undefined) await features.setModel(session, model);
      if (title !== undefined) await features.setTitle(session, title);
      return features.meta(session);
    },
  );

  api.delete(
    '/sessions/:id',
    {
      schema: {
        params: sessionParamsSchema,
        response: { 204: z.null().describe('Deleted: the snapshot and the logged events.') },
      },
    },
    async (request, reply) => {
      const { sessions } = requireAgent(context);
      await sessions.get(request.params.id); // 404 for an unknown id
      await sessions.delete(request.params.id);
      // Watchers would otherwise wait forever for events that can no longer come;
      // a reconnect then gets 404 CORE_SESSION_NOT_FOUND.
      for (const stream of context.openStreams)
        if (stream.sessionId === request.params.id) stream.end('session deleted');
      return reply.status(204).send(null);
    },
  );
}
