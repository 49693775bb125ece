import type { EventBus } from '@switchboard/events';
import { FRAME_MS, SAMPLE_RATE } from '../audio/pcm.js';
import type { AudioSink, VoiceSession } from '../session/voice-session.js';
import {
  WebSocketAudioInput,
  messageBytes,
  type AudioInputOptions,
} from './websocket-audio-input.js';
import { WebSocketAudioOutput, type AudioOutputOptions } from './websocket-audio-output.js';
import {
  MAX_CONTROL_CHARS,
  clientControlSchema,
  type AudioSocket,
  type ClientControl,
} from './voice-socket-protocol.js';

/** What {@link serveVoiceSocket} runs. */
export interface ServeVoiceSocketOptions {
  socket: AudioSocket;
  /** The agent's bus, where the session's voice events are published. */
  bus: EventBus;
  /** The agent session the voice session answers (its events are followed). */
  sessionId: string;
  /** Builds the voice session on `start`, its agent audio going to `output`. */
  createSession(output: AudioSink): VoiceSession | Promise<VoiceSession>;
  input?: AudioInputOptions;
  output?: AudioOutputOptions;
}

/** A served voice socket. */
export interface ServedVoiceSocket {
  readonly input: WebSocketAudioInput;
  readonly output: WebSocketAudioOutput;
  /** The voice session once started. */
  session(): VoiceSession | undefined;
  /** Resolves once the socket closed and the session stopped. */
  readonly done: Promise<void>;
}

/**
 * Runs a voice session over a WebSocket (see `voice-socket-protocol.ts`):
 * `{"type":"start"}` builds the session and answers `ready`; binary
 * messages are microphone audio, fed to the session in 20 ms frames as they
 * arrive (its clock moves with them); the agent's audio comes back as
 * binary messages; `state` messages follow `voice.agent_state` and
 * `voice.user_state`; an interrupted speech is flushed (`clear`);
 * `interrupt` and `stop` do what they say. Closing the socket closes the
 * voice session (`voice.closed { reason: 'input_ended' }`); the agent
 * session stays open.
 */
export function serveVoiceSocket(options: ServeVoiceSocketOptions): ServedVoiceSocket {
  const { socket, bus, sessionId } = options;
  const input = new WebSocketAudioInput(options.input);
  const output = new WebSocketAudioOutput(socket, options.output);
  let session: VoiceSession | undefined;
  let starting = false;
  const unsubscribe: (() => void)[] = [];
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const state = { agent: 'initializing', user: 'listening' };

  const fail = (code: string, message: string, closeCode?: number) => {
    output.control({ type: 'error', code, message });
    if (closeCode !== undefined) socket.close(closeCode, code);
  };

  const follow = () => {
    const mine = (event: { sessionId: string }) => event.sessionId === sessionId;
    unsubscribe.push(
      bus.on('voice.agent_state', (event) => {
        if (!mine(event)) return;
        state.agent = event.data.state;
        output.control({ type: 'state', ...state });
      }),
      bus.on('voice.user_state', (event) => {
        if (!mine(event)) return;
        state.user = event.data.state;
        output.control({ type: 'state', ...state });
      }),
      bus.on('voice.speech_interrupted', (event) => {
        if (mine(event)) output.flush();
      }),
      bus.on('voice.closed', (event) => {
        if (mine(event) && event.data.reason === 'error') socket.close(1011, 'voice session error');
      }),
    );
  };

  const run = async (voice: VoiceSession) => {
    for await (const frame of input.frames()) {
      if (voice.closed) break;
      await voice.pushFrame(frame);
    }
  };

  const start = async () => {
    if (session || starting) return;
    starting = true;
    follow();
    const voice = await options.createSession(output);
    session = voice;
    voice.start();
    output.control({ type: 'ready', sampleRate: SAMPLE_RATE, frameMs: FRAME_MS });
    await run(voice);
  };

  const onControl = (control: ClientControl) => {
    if (control.type === 'start')
      return void start().catch((error: unknown) =>
        fail('VOICE_START_FAILED', error instanceof Error ? error.message : String(error), 1011),
      );
    if (control.type === 'interrupt') return session?.interrupt();
    session?.close('user_initiated');
    socket.close(1000, 'stopped');
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      if (session) input.push(messageBytes(data));
      return;
    }
    const text = data instanceof Uint8Array ? Buffer.from(data).toString('utf8') : String(data);
    if (text.length > MAX_CONTROL_CHARS)
      return fail('VOICE_INVALID_MESSAGE', 'Control message too long.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail('VOICE_INVALID_MESSAGE', 'Control messages are JSON.');
    }
    const control = clientControlSchema.safeParse(parsed);
    if (!control.success)
      return fail('VOICE_INVALID_MESSAGE', 'Expected {"type":"start"|"interrupt"|"stop"}.');
    onControl(control.data);
  });

  socket.on('close', () => {
    input.end();
    session?.close('input_ended');
    for (const off of unsubscribe) off();
    resolveDone();
  });

  return { input, output, session: () => session, done };
}
