import type { Agent, AgentSession, VoiceSocket } from '@switchboard/agent-core';
import type { VoiceConfig } from '@switchboard/agent-core/config';
import type { CloudVoiceExtras } from '../cloud/cloud-voice-providers.js';
import { createVoiceEngines } from '../cloud/create-voice-engines.js';
import { VoiceSession } from '../session/voice-session.js';
import { serveVoiceSocket, type ServedVoiceSocket } from './serve-voice-socket.js';

/** One accepted voice WebSocket, as the web server hands it over. */
export interface WebVoiceConnection {
  /** The server's agent: the voice events go on `agent.bus`, so the session's event stream shows them. */
  agent: Agent;
  /** The agent session the voice turns are sent to. */
  session: AgentSession;
  /** The accepted socket; the endpoint owns it from `connect` on. */
  socket: VoiceSocket;
}

/**
 * The voice endpoint of a web server: what `@switchboard/webui-server`'s
 * `startWebServer({ voice })` takes (its `VoiceEndpoint`, structurally).
 */
export interface WebVoiceEndpoint {
  /** Serves a voice session on one accepted socket (see `serveVoiceSocket`). */
  connect(connection: WebVoiceConnection): void;
  /**
   * Ends the open voice sessions (`voice.closed { reason: 'input_ended' }`)
   * and their sockets (1001), then releases the engines (the TTS's warm
   * espeak-ng process). The server calls it when it closes, before it closes
   * the agent.
   */
  close(): void;
}

/**
 * The web server's voice endpoint, with the engines the shared configuration
 * names (`config.voice` of `loadConfig` in `@switchboard/agent-core/config`:
 * `voice.phrases`, `voice.stt.*`, `voice.tts.*`; see `createVoiceEngines`).
 * The engines load once; each connection gets its own {@link VoiceSession}
 * over the connection's agent session, speaking the protocol of
 * `serveVoiceSocket`. The web app and `switchboard serve` both build theirs
 * here.
 *
 * Whether voice is on (`voice.mode`) is the caller's decision, taken before
 * it imports this package: onnxruntime is large, so a server without voice
 * should never load it.
 *
 * A cloud engine without its key throws `VOICE_ENGINE_UNAVAILABLE` naming
 * the variable to set, before anything is loaded.
 *
 * ```ts
 * const voice =
 *   config.voice.mode === 'off'
 *     ? undefined
 *     : await (await import('@switchboard/voice-session')).createWebVoiceEndpoint(config.voice);
 * await startWebServer({ config, ...(voice ? { voice } : {}) });
 * ```
 */
export async function createWebVoiceEndpoint(
  voice: Pick<VoiceConfig, 'phrases' | 'stt' | 'tts'>,
  extras: CloudVoiceExtras = {},
): Promise<WebVoiceEndpoint> {
  const { vad, stt, tts } = await createVoiceEngines(voice, extras);
  const open = new Set<{ socket: VoiceSocket; served: ServedVoiceSocket }>();
  return {
    connect({ agent, session: agentSession, socket }) {
      const served = serveVoiceSocket({
        socket,
        bus: agent.bus,
        sessionId: agentSession.id,
        createSession: (output) =>
          new VoiceSession({ bus: agent.bus, agentSession, vad, stt, tts, output }),
      });
      const connection = { socket, served };
      open.add(connection);
      void served.done.then(() => open.delete(connection));
    },
    close() {
      // The server closes the agent's bus right after this, and a client's close frame may
      // come later still: a voice session left open would then emit `voice.closed` on a
      // closed bus, which throws (EVENTS_CLOSED) out of the socket's close listener.
      for (const { socket, served } of open) {
        served.session()?.close('input_ended');
        socket.close(1001, 'server closing');
      }
      open.clear();
      tts.close?.();
    },
  };
}
