import {
  UI_MESSAGE_STREAM_HEADERS,
  createUiMessageStreamAdapter,
  encodeUiMessageChunk,
} from '@switchboard/events/ai-sdk';
import type { FastifyReply } from 'fastify';
import { chatAction } from '../front-ends/ai-sdk-chat.js';
import { storeChatFiles } from '../front-ends/chat-files.js';
import { startFrontEndRun } from '../front-ends/front-end-run.js';
import { chatBodySchema } from '../schemas/front-end-schemas.js';
import { sessionParamsSchema } from '../schemas/api-schemas.js';
import {
  requireAgent,
  type AgentServices,
  type ApiContext,
  type ApiInstance,
} from '../server/api-context.js';
import { createFrameStream } from '../streams/frame-stream.js';
import { runOutput } from '../streams/run-output.js';
import { sendStream, streamSignal } from '../streams/send-stream.js';

/** The UI message stream's last frame (ai's `JsonToSseTransformStream` ends with it too). */
const DONE = 'data: [DONE]\n\n';

/**
 * The AI SDK (ai@6) UI message stream endpoints, for `useChat` with a
 * `DefaultChatTransport`:
 *
 * - `POST /sessions/:id/chat` takes the transport's body, starts a run for
 *   the new user message (or answers the approvals of the last assistant
 *   message, which resumes the paused run) and streams that run as UI
 *   message chunks (`data: <chunk>` frames, `data: [DONE]` at the end).
 * - `GET /sessions/:id/chat/stream` is the transport's `reconnectToStream`:
 *   the active run's message replayed from its start and continued live
 *   (`resumeStreamIsReplay`), or `204` when no run is active.
 *
 * Both read the session's event log through the events package's AI SDK
 * adapter, so a disconnect never loses or cancels anything.
 */
export function registerAiSdkChatRoutes(api: ApiInstance, context: ApiContext): void {
  const { runs: limit } = context.options.rateLimit;

  api.post(
    '/sessions/:id/chat',
    {
      bodyLimit: context.options.chatBodyLimit,
      config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
      schema: { params: sessionParamsSchema, body: chatBodySchema },
    },
    async (request, reply) => {
      const services = requireAgent(context);
      const session = await services.sessions.get(request.params.id);
      const action = chatAction(request.body);
      if (action.kind === 'message' && action.files?.length) {
        const ids = await storeChatFiles(
          action.files,
          context.attachments,
          context.options.attachmentLimit,
        );
        action.input = { ...action.input, attachments: ids };
      }
      const runId = await startFrontEndRun(services.runs, session, action);
      return streamRun(reply, context, { services, sessionId: session.id, runId, from: 'run' });
    },
  );

  api.get(
    '/sessions/:id/chat/stream',
    { schema: { params: sessionParamsSchema } },
    async (request, reply) => {
      const services = requireAgent(context);
      const session = await services.sessions.get(request.params.id);
      const runId = services.runs.activeRun(session.id);
      if (runId === undefined) return reply.status(204).send();
      return streamRun(reply, context, { services, sessionId: session.id, runId, from: 'message' });
    },
  );
}

/** What {@link streamRun} streams: a run's output (none: only the end frame). */
interface RunStream {
  services: AgentServices;
  sessionId: string;
  runId: string | undefined;
  from: 'run' | 'message';
}

function streamRun(reply: FastifyReply, context: ApiContext, target: RunStream): FastifyReply {
  const { services, sessionId, runId, from } = target;
  const signal = streamSignal(reply, context);
  async function* frames(): AsyncGenerator<string> {
    if (runId !== undefined) {
      const adapter = createUiMessageStreamAdapter();
      const batches = runOutput({ log: services.log, sessionId, runId, from, adapter, signal });
      for await (const batch of batches) yield batch.map(encodeUiMessageChunk).join('');
    }
    yield DONE;
  }
  const stream = createFrameStream(frames(), { keepAliveMs: context.options.heartbeatMs, signal });
  return sendStream(reply, context, { sessionId, stream, headers: UI_MESSAGE_STREAM_HEADERS });
}
