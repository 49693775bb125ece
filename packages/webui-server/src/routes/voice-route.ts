import type { Socket } from 'node:net';
import websocket from '@fastify/websocket';
import type { Agent, AgentSession } from '@switchboard/agent-core';
import { WebuiServerError } from '../errors/webui-server-error.js';
import { sessionParamsSchema } from '../schemas/api-schemas.js';
import { requireAgent, type ApiContext, type ApiInstance } from '../server/api-context.js';
import { keepVoiceSocketAlive } from '../voice/keep-voice-socket-alive.js';
import {
  VOICE_MAX_MESSAGE_BYTES,
  VOICE_SUBPROTOCOL,
  type VoiceEndpoint,
} from '../voice/voice-endpoint.js';

/**
 * `GET /sessions/:id/voice`: a WebSocket to the injected voice endpoint
 * (binary frames are 16 kHz mono PCM16 both ways, text frames are JSON
 * control messages; the endpoint defines them). The handshake passes the
 * API's checks first (token, also as a `switchboard.bearer.*` subprotocol;
 * Host; Origin, since a handshake is treated as state-changing), then the
 * route's own: voice configured (`503 WEBUI_VOICE_DISABLED`), the session
 * exists (`404`), no other voice connection on it (`409 WEBUI_VOICE_BUSY`),
 * and it must be an actual WebSocket handshake (plain GET: `400`). A plain
 * GET runs the same checks first, so a browser, which never sees why a
 * handshake was refused, can ask with one (the web app does before it
 * reconnects).
 * Messages above {@link VOICE_MAX_MESSAGE_BYTES} close the socket (1009). An
 * accepted socket is pinged every `heartbeatMs` and ended when it stops
 * answering, so a vanished peer does not hold the session's voice claim.
 */
export async function registerVoiceRoute(api: ApiInstance, context: ApiContext): Promise<void> {
  if (!api.hasDecorator('websocketServer')) {
    await api.register(websocket, {
      options: {
        maxPayload: VOICE_MAX_MESSAGE_BYTES,
        // Select our protocol; never echo another one (the bearer one carries the token).
        handleProtocols: (protocols) =>
          protocols.has(VOICE_SUBPROTOCOL) ? VOICE_SUBPROTOCOL : false,
      },
    });
  }
  // One voice connection per session: the claim is taken in the same synchronous step as
  // the check (handshakes that awaited the same session load must not all pass it), and
  // given back when the connection's TCP socket closes (also a handshake that never
  // completed) or the WebSocket closes.
  const claims = new Map<string, symbol>();
  const loaded = new WeakMap<
    object,
    { agent: Agent; session: AgentSession; endpoint: VoiceEndpoint; release: () => void }
  >();

  api.route({
    method: 'GET',
    url: '/sessions/:id/voice',
    schema: {
      params: sessionParamsSchema,
      summary: 'Voice over a WebSocket',
      description:
        'A WebSocket handshake (101): binary frames are 16 kHz mono PCM16 audio both ways, text frames JSON control messages. The token may be sent as the subprotocol switchboard.bearer.<base64url(token)>.',
    },
    preHandler: async (request) => {
      const endpoint = context.options.voice;
      if (!endpoint) {
        throw new WebuiServerError({
          code: 'WEBUI_VOICE_DISABLED',
          message: 'This server has no voice endpoint.',
          hint: 'Start the web app with voice enabled (SWITCHBOARD_VOICE=offline).',
        });
      }
      const { sessions, agent } = requireAgent(context);
      const session = await sessions.get(request.params.id);
      if (claims.has(session.id)) {
        throw new WebuiServerError({
          code: 'WEBUI_VOICE_BUSY',
          message: 'This session already has a voice connection.',
          hint: 'Close the other voice connection (another tab?) first.',
        });
      }
      if (!request.ws) {
        throw new WebuiServerError({
          code: 'WEBUI_INVALID_REQUEST',
          message: 'This route is a WebSocket: send an Upgrade: websocket handshake.',
        });
      }
      // The handshake's TCP socket (absent for fastify's injected WebSockets).
      const wire: Socket | undefined = request.raw.socket;
      if (wire?.destroyed) {
        throw new WebuiServerError({
          code: 'WEBUI_INVALID_REQUEST',
          message: 'The client left during the voice handshake.',
        });
      }
      const claim = Symbol(session.id);
      claims.set(session.id, claim);
      const release = () => {
        if (claims.get(session.id) === claim) claims.delete(session.id);
      };
      wire?.once('close', release);
      loaded.set(request, { agent, session, endpoint, release });
    },
    handler: () => {
      // Only reached without a handshake, which preHandler refuses.
      throw new WebuiServerError({ code: 'WEBUI_INVALID_REQUEST', message: 'Not a WebSocket.' });
    },
    wsHandler: async (socket, request) => {
      const found = loaded.get(request);
      if (!found) return socket.close(1011, 'not prepared');
      const { agent, session, endpoint, release } = found;
      socket.on('close', release);
      keepVoiceSocketAlive(socket, context.options.heartbeatMs);
      try {
        await endpoint.connect({ agent, session, socket, log: request.log });
      } catch (error) {
        request.log.error({ err: error }, 'voice connection failed');
        socket.close(1011, 'voice endpoint failed');
      }
    },
  });
}
