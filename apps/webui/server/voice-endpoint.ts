import type { VoiceConfig } from '@switchboard/agent-core/config';
import type { VoiceEndpoint } from '@switchboard/webui-server';

/**
 * The voice endpoint of the web server, on `@switchboard/voice-session`
 * (loaded only when voice is on: onnxruntime is large), with the engines the
 * shared configuration names (`voice.mode`, `voice.phrases`, `voice.stt.*`,
 * `voice.tts.*`; `SWITCHBOARD_VOICE=offline` is the offline stack). Engines
 * load once; each connection gets its own VoiceSession over the connection's
 * agent session, publishing its events on the agent's bus (the chat's event
 * stream shows them). `undefined` when `voice.mode` is `off`.
 */
export async function createVoiceEndpoint(voice: VoiceConfig): Promise<VoiceEndpoint | undefined> {
  if (voice.mode === 'off') return undefined;
  const session = await import('@switchboard/voice-session');
  const { vad, stt, tts } = await session.createVoiceEngines(voice);
  return {
    connect({ agent, session: agentSession, socket }) {
      session.serveVoiceSocket({
        socket,
        bus: agent.bus,
        sessionId: agentSession.id,
        createSession: (output) =>
          new session.VoiceSession({ bus: agent.bus, agentSession, vad, stt, tts, output }),
      });
    },
    close: () => tts.close?.(), // its warm espeak-ng process
  };
}
