// The browser side of a voice session (loaded only when the user turns voice on):
// the microphone through an AudioWorklet at 16 kHz, 20 ms PCM16 frames over the
// WebSocket, and the agent's PCM16 played through a queue that an interruption
// flushes. The protocol is the one of @switchboard/voice-session
// (voice-socket-protocol.ts): binary = 16 kHz mono PCM16 LE, text = JSON control.
import { readToken } from '../api/token-store.js';
// A same-origin file (the CSP allows no blob: scripts): floats in, 20 ms PCM16 frames out.
import workletUrl from './pcm-framer.worklet.js?url';

const SAMPLE_RATE = 16_000;
const SUBPROTOCOL = 'switchboard.voice.v1';
const BEARER_PREFIX = 'switchboard.bearer.';

/** Server → client control messages. */
type ServerControl =
  | { type: 'ready' }
  | { type: 'state'; agent: string; user: string }
  | { type: 'clear' }
  | { type: 'error'; code: string; message: string };

/** What the page learns while voice is on. */
export interface VoiceCallbacks {
  onState(state: { agent: string; user: string }): void;
  onError(message: string): void;
  onClosed(): void;
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
  await context.resume();
  await context.audioWorklet.addModule(workletUrl);
  const source = context.createMediaStreamSource(stream);
  const framer = new AudioWorkletNode(context, 'pcm-framer');
  // The worklet must be pulled to run; a muted gain keeps the mic out of the speakers.
  const mute = context.createGain();
  mute.gain.value = 0;
  source.connect(framer).connect(mute).connect(context.destination);

  const token = readToken();
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(
    `${scheme}//${location.host}/api/sessions/${encodeURIComponent(sessionId)}/voice`,
    token === undefined ? [SUBPROTOCOL] : [SUBPROTOCOL, BEARER_PREFIX + base64url(token)],
  );
  socket.binaryType = 'arraybuffer';

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

  let ready = false;
  framer.port.onmessage = (message: MessageEvent<ArrayBuffer>) => {
    if (ready && socket.readyState === WebSocket.OPEN && socket.bufferedAmount < 64_000)
      socket.send(message.data);
  };
  socket.onopen = () => socket.send(JSON.stringify({ type: 'start' }));
  socket.onmessage = (message: MessageEvent<ArrayBuffer | string>) => {
    if (typeof message.data !== 'string') return play(new Int16Array(message.data));
    const control = JSON.parse(message.data) as ServerControl;
    if (control.type === 'ready') ready = true;
    else if (control.type === 'state') callbacks.onState(control);
    else if (control.type === 'clear') clear();
    else if (control.type === 'error') callbacks.onError(control.message);
  };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'stop' }));
    socket.close();
    clear();
    for (const track of stream.getTracks()) track.stop();
    void context.close();
  };
  socket.onerror = () => callbacks.onError('The voice connection failed.');
  socket.onclose = () => {
    stop();
    callbacks.onClosed();
  };
  return { stop };
}
