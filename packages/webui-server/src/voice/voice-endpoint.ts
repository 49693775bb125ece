import type { Agent, AgentSession, VoiceSocket } from '@switchboard/agent-core';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';

/**
 * The subprotocol of the voice WebSocket (`GET /api/sessions/:id/voice`).
 * The server selects it when the client offers it.
 */
export const VOICE_SUBPROTOCOL = 'switchboard.voice.v1';

/**
 * Prefix of the subprotocol that carries the bearer token from a browser,
 * which cannot set `Authorization` on a WebSocket:
 * `switchboard.bearer.<base64url(token)>`. It is only read on WebSocket
 * handshakes and never selected (never echoed back).
 */
export const BEARER_SUBPROTOCOL_PREFIX = 'switchboard.bearer.';

/** Largest WebSocket message the voice route accepts (bigger ones close the socket with 1009). */
export const VOICE_MAX_MESSAGE_BYTES = 64 * 1024;

/** The accepted socket of one voice connection (agent-core's type, shared with voice-session). */
export type { VoiceSocket } from '@switchboard/agent-core';

/** What {@link VoiceEndpoint.connect} gets for each accepted connection. */
export interface VoiceConnection {
  /** The server's agent: publish voice events on `agent.bus` so the session's streams show them. */
  agent: Agent;
  /** The agent-core session the voice turns are sent to (its events stream on `/events`). */
  session: AgentSession;
  socket: VoiceSocket;
  /** The request's logger. */
  log: FastifyBaseLogger;
}

/**
 * A voice endpoint, injected by the composition (the web app passes one
 * built on `@switchboard/voice-session`; this package never imports it).
 * `connect` runs once per accepted WebSocket, after the API's checks
 * (token, Host, Origin) and with the session loaded; it owns the socket
 * from then on. `close` runs when the server closes.
 */
export interface VoiceEndpoint {
  connect(connection: VoiceConnection): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** Validates an injected {@link VoiceEndpoint}. */
export const voiceEndpointSchema = z.custom<VoiceEndpoint>(
  (value) =>
    typeof value === 'object' &&
    value != null &&
    'connect' in value &&
    typeof value.connect === 'function',
  { message: 'expected a voice endpoint ({ connect(connection) })' },
);
