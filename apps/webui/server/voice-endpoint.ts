import type { VoiceEndpoint } from '@switchboard/webui-server';

/** How the web app's voice mode is configured (from the environment). */
export interface WebAppVoiceOptions {
  /** Phrases the offline recogniser expects (a grammar with a filler branch); empty: its generic model. */
  phrases: string[];
}

/**
 * The voice settings of the environment: `SWITCHBOARD_VOICE=offline` turns
 * the voice mode on with the offline stack (Silero VAD, pocketsphinx,
 * espeak-ng); `SWITCHBOARD_VOICE_PHRASES` (phrases separated by `|`)
 * constrains the recogniser. Unset: voice is off.
 */
export function voiceOptionsFromEnv(
  env: Record<string, string | undefined>,
): WebAppVoiceOptions | undefined {
  if (env.SWITCHBOARD_VOICE !== 'offline') return undefined;
  const phrases = (env.SWITCHBOARD_VOICE_PHRASES ?? '')
    .split('|')
    .map((phrase) => phrase.trim().toLowerCase())
    .filter(Boolean);
  return { phrases };
}

/**
 * The voice endpoint of the web server, on `@switchboard/voice-session`
 * (loaded only when voice is on: onnxruntime is large). Engines load once;
 * each connection gets its own VoiceSession over the connection's agent
 * session, publishing its events on the agent's bus (the chat's event
 * stream shows them).
 */
export async function createVoiceEndpoint(options: WebAppVoiceOptions): Promise<VoiceEndpoint> {
  const voice = await import('@switchboard/voice-session');
  const vad = await voice.SileroVad.load();
  const stt = voice.PocketsphinxStt.load(
    options.phrases.length > 0 ? { phrases: options.phrases } : {},
  );
  const tts = new voice.EspeakTts();
  return {
    connect({ agent, session, socket }) {
      voice.serveVoiceSocket({
        socket,
        bus: agent.bus,
        sessionId: session.id,
        createSession: (output) =>
          new voice.VoiceSession({ bus: agent.bus, agentSession: session, vad, stt, tts, output }),
      });
    },
    close: () => tts.close(), // its warm espeak-ng process
  };
}
