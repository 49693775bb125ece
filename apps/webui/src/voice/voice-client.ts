// The browser side of a voice session (loaded only when the user turns voice on):
// the microphone through an AudioWorklet at 16 kHz, 20 ms PCM16 frames over the
// WebSocket, and the agent's PCM16 played through a queue that an interruption
// flushes. The protocol is the one of @switchboard/voice-session
// (voice-socket-protocol.ts): binary = 16 kHz mono PCM16 LE, text = JSON control.
// The socket reconnects underneath (voice-link.ts); the microphone and the audio
// context live as long as voice mode, and are released when it ends.
import { toApiError } from '../api/api-error.js';
import { authHeaders, readToken } from '../api/token-store.js';
// A same-origin file (the CSP allows no blob: scripts): floats in, 20 ms PCM16 frames out.
import workletUrl from './pcm-framer.worklet.js?url';
import { VoiceLink, type VoiceLinkStatus, type VoiceRefusal } from './voice-link.js';

const SAMPLE_RATE = 16_000;
const SUBPROTOCOL = 'switchboard.voice.v1';
const BEARER_PREFIX = 'switchboard.bearer.';

/** What the page learns while voice is on. */
export interface VoiceCallbacks {
  onState(state: { agent: string; user: string }): void;
  /** The connection's status: `reconnecting` while a dropped socket is opened again. */
  onStatus(status: VoiceLinkStatus): void;
  onError(message: string): void;
  onClosed(): void;
}

/** Statuses of a refused voice handshake: asking again will not help. */
const REFUSED_STATUSES = new Set([401, 403, 404, 409]);

/**
 * Why the voice handshake of `sessionId` failed, asked with a plain GET of
 * the same route (the server answers it with the handshake's checks: token,
 * session, voice on, busy); `undefined` when nothing was refused.
 */
async function diagnose(sessionId: string): Promise<VoiceRefusal | undefined> {
  const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/voice`, {
    headers: authHeaders(),
  });
  const body: unknown = await response.json().catch(() => undefined);
  const error = toApiError(response.status, body);
  const refused =
    REFUSED_STATUSES.has(response.status) ||
    (response.status === 503 && error.code === 'WEBUI_VOICE_DISABLED');
  return refused ? { code: error.code, message: error.message } : undefined;
}

/** A running voice session of the page. */
export interface VoiceHandle {
  stop(): void;
}

/** Everything the page played (for tests): set `localStorage['switchboard.voice.capture'] = '1'`. */
interface VoiceCapture {
  chunks: Int16Array[];
  clears: number;
}

declare global {
  interface Window {
    __switchboardVoiceCapture?: VoiceCapture;
  }
}

/** base64url of a UTF-8 string (the bearer subprotocol). */
function base64url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Opens the microphone and the voice WebSocket of `sessionId`, and starts talking. */
export async function startVoice(
  sessionId: string,
  callbacks: VoiceCallbacks,
): Promise<VoiceHandle> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: {
      channelCount: 1,
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    },
  });
  const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
  try {
    await context.resume();
    await context.audioWorklet.addModule(workletUrl);
  } catch (error) {
    for (const track of stream.getTracks()) track.stop();
    void context.close();
    throw error;
  }
  const source = context.createMediaStreamSource(stream);
  const framer = new AudioWorkletNode(context, 'pcm-framer');
  // The worklet must be pulled to run; a muted gain keeps the mic out of the speakers.
  const mute = context.createGain();
  mute.gain.value = 0;
  source.connect(framer).connect(mute).connect(context.destination);

  const token = readToken();
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}/api/sessions/${encodeURIComponent(sessionId)}/voice`;
  const protocols =
    token === undefined ? [SUBPROTOCOL] : [SUBPROTOCOL, BEARER_PREFIX + base64url(token)];

  const capture: VoiceCapture | undefined =
    localStorage.getItem('switchboard.voice.capture') === '1'
      ? { chunks: [], clears: 0 }
      : undefined;
  if (capture) window.__switchboardVoiceCapture = capture;
  const playing = new Set<AudioBufferSourceNode>();
  let playAt = 0;
  const play = (pcm: Int16Array) => {
    capture?.chunks.push(pcm);
    const buffer = context.createBuffer(1, pcm.length, SAMPLE_RATE);
    const channel = buffer.getChannelData(0);
    for (let index = 0; index < pcm.length; index++) channel[index] = pcm[index]! / 0x8000;
    const node = context.createBufferSource();
    node.buffer = buffer;
    node.connect(context.destination);
    // A little lead on an empty queue absorbs network jitter.
    playAt = Math.max(playAt, context.currentTime + 0.05);
    node.start(playAt);
    playAt += buffer.duration;
    playing.add(node);
    node.onended = () => playing.delete(node);
  };
  const clear = () => {
    if (capture) capture.clears++;
    for (const node of playing) node.stop();
    playing.clear();
    playAt = 0;
  };

  let closed = false;
  const release = () => {
    if (closed) return;
    closed = true;
    clear();
    framer.port.onmessage = null;
    for (const track of stream.getTracks()) track.stop();
    void context.close();
  };
  const link = new VoiceLink({
    open: (events) => {
      const socket = new WebSocket(url, protocols);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => events.open();
      socket.onmessage = (message: MessageEvent<ArrayBuffer | string>) =>
        events.message(message.data);
      socket.onclose = (event) => events.close(event.code);
      return socket;
    },
    diagnose: () => diagnose(sessionId),
    onStatus: (status) => {
      // The agent's queued audio belongs to the connection that dropped.
      if (status === 'reconnecting') clear();
      callbacks.onStatus(status);
    },
    onControl: (control) => {
      if (control.type === 'state') callbacks.onState(control);
      else if (control.type === 'clear') clear();
      else if (control.type === 'error') callbacks.onError(control.message);
    },
    onAudio: (data) => play(new Int16Array(data)),
    onEnd: ({ error }) => {
      release();
      if (error !== undefined) callbacks.onError(error);
      callbacks.onClosed();
    },
  });
  framer.port.onmessage = (message: MessageEvent<ArrayBuffer>) => link.sendAudio(message.data);
  return { stop: () => link.stop() };
}
