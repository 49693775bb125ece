import { EventType } from '@ag-ui/core';
import type { AgentSession } from '@switchboard/agent-core';
import { createAgUiAdapter, type AgUiEvent } from '@switchboard/events/ag-ui';
import { isKnownEvent, type AnyEvent } from '@switchboard/events';
import { agUiAction } from '../front-ends/ag-ui-run.js';
import { startFrontEndRun } from '../front-ends/front-end-run.js';
import { sessionParamsSchema } from '../schemas/api-schemas.js';
import { agUiRunInputSchema } from '../schemas/front-end-schemas.js';
import { requireAgent, type ApiContext, type ApiInstance } from '../server/api-context.js';
import { createFrameStream } from '../streams/frame-stream.js';
import { runOutput } from '../streams/run-output.js';
import { sendStream, streamSignal } from '../streams/send-stream.js';

/** Headers of an AG-UI event stream (SSE, unbuffered by proxies). */
const AG_UI_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/**
 * `POST /sessions/:id/ag-ui`: an AG-UI agent endpoint, for `@ag-ui/client`'s
 * `HttpAgent` (or any AG-UI client). It takes a `RunAgentInput`, starts a
 * run for the last user message (or resumes the paused run with the
 * `resume` answers) and streams that run as AG-UI events (`data: <event>`
 * frames) through the events package's adapter, until RUN_FINISHED (an
 * `interrupt` outcome when the run pauses for approval) or RUN_ERROR.
 *
 * The client already shows the messages it sent, so their `user.message`
 * events are not streamed back (an AG-UI client would append the text to
 * the message it has).
 */
export function registerAgUiRoute(api: ApiInstance, context: ApiContext): void {
  const { runs: limit } = context.options.rateLimit;
  api.post(
    '/sessions/:id/ag-ui',
    {
      bodyLimit: context.options.chatBodyLimit,
      config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
      schema: { params: sessionParamsSchema, body: agUiRunInputSchema },
    },
    async (request, reply) => {
      const services = requireAgent(context);
      const session = await services.sessions.get(request.params.id);
      const runId = await startFrontEndRun(services.runs, session, agUiAction(request.body));
      const sent = new Set(request.body.messages.map((message) => message.id));
      const skip = (event: AnyEvent) =>
        isKnownEvent(event) && event.type === 'user.message' && sent.has(event.data.messageId);
      const signal = streamSignal(reply, context);
      async function* frames(): AsyncGenerator<string> {
        if (runId === undefined) {
          yield stillWaiting(session, request.body.runId).map(encode).join('');
          return;
        }
        const adapter = createAgUiAdapter();
        const batches = runOutput({
          log: services.log,
          sessionId: session.id,
          runId,
          from: 'run',
          adapter,
          signal,
          skip,
        });
        for await (const batch of batches) yield batch.map(encode).join('');
      }
      const stream = createFrameStream(frames(), {
        keepAliveMs: context.options.heartbeatMs,
        signal,
      });
      return sendStream(reply, context, { sessionId: session.id, stream, headers: AG_UI_HEADERS });
    },
  );
}

function encode(event: AgUiEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

/**
 * The answer to resume entries that left other approvals open: nothing
 * runs yet, so a run that ends at once, interrupted by what still waits.
 */
function stillWaiting(session: AgentSession, runId: string): AgUiEvent[] {
  const interrupts = session.pendingRequests().map((request) => ({
    id: request.requestId,
    reason: request.kind === 'approval' ? 'tool_approval' : 'clarify',
    toolCallId: request.toolCallId,
  }));
  return [
    { type: EventType.RUN_STARTED, threadId: session.id, runId },
    {
      type: EventType.RUN_FINISHED,
      threadId: session.id,
      runId,
      outcome:
        interrupts.length > 0 ? { type: 'interrupt', interrupts } : { type: 'success' as const },
    },
  ];
}
