// The voice WebSocket of the page, kept up: a connection that drops (the server
// restarted, the network went away) is opened again with a growing delay, a bounded
// number of times in a row, while the microphone and playback stay as they are. A
// refused handshake (bad token, session gone, voice off, another tab holds the
// session) ends it instead: browsers hide a refused handshake's status, so the
// link asks the server why (`diagnose`) before it tries again.

/** Server → client control messages (voice-socket-protocol.ts of @switchboard/voice-session). */
export type ServerControl =
  | { type: 'ready' }
  | { type: 'state'; agent: string; user: string }
  | { type: 'clear' }
  | { type: 'error'; code: string; message: string };

/** What the link hears from the socket it opened. */
export interface VoiceSocketEvents {
  open(): void;
  message(data: ArrayBuffer | string): void;
  close(code: number): void;
}

/** The part of a browser `WebSocket` the link uses. */
export interface VoiceSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string | ArrayBuffer): void;
  close(code?: number): void;
}

/** Timers (injected in tests). */
export interface LinkTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Where the link is: opening its first socket, connected (`ready` received), or waiting to retry. */
export type VoiceLinkStatus = 'connecting' | 'open' | 'reconnecting';

/** Why the server refused the voice connection (no retry). */
export interface VoiceRefusal {
  code: string;
  message: string;
}

/** What a {@link VoiceLink} is built from. */
export interface VoiceLinkOptions {
  /** Opens a new socket whose events go to `events`. */
  open(events: VoiceSocketEvents): VoiceSocketLike;
  /**
   * Asks why a handshake failed: a refusal ends the link; `undefined`
   * (server unreachable, or nothing refused) means try again.
   */
  diagnose(): Promise<VoiceRefusal | undefined>;
  timers?: LinkTimers;
  /** Delays before each retry in a row; one more failure than there are delays ends the link. */
  backoffMs?: readonly number[];
  onStatus(status: VoiceLinkStatus): void;
  /** A control message other than `ready` (which the link handles). */
  onControl(control: ServerControl): void;
  onAudio(pcm: ArrayBuffer): void;
  /** The link ended for good (`error` unless the user stopped it or the server ended it normally). */
  onEnd(end: { error?: string }): void;
}

/** Close codes of a connection that was lost rather than ended: worth opening again. */
const RETRY_CLOSE_CODES = new Set([1001, 1005, 1006, 1012, 1013, 1014]);

/** 0.5 s, 1 s, 2 s, 4 s, then every 8 s: about 30 s of trying (a server restart) before giving up. */
export const DEFAULT_BACKOFF_MS: readonly number[] = [500, 1000, 2000, 4000, 8000, 8000, 8000];

/** Bytes the socket may hold unsent before microphone frames are dropped (no lag build-up). */
const MAX_BUFFERED_BYTES = 64_000;

const OPEN = 1;

/**
 * The voice WebSocket with reconnection. At most one socket is open at a
 * time; after {@link stop} or the end, none is and no timer is pending.
 */
export class VoiceLink {
  readonly #options: VoiceLinkOptions;
  readonly #timers: LinkTimers;
  readonly #backoffMs: readonly number[];
  #socket: VoiceSocketLike | undefined;
  #timer: unknown;
  #retries = 0;
  #ready = false;
  /** Some socket of this link reached `ready`: a later busy refusal is most likely our own old connection. */
  #wasReady = false;
  #ended = false;

  constructor(options: VoiceLinkOptions) {
    this.#options = options;
    this.#timers = options.timers ?? {
      setTimeout: (callback, ms) => window.setTimeout(callback, ms),
      clearTimeout: (id) => {
        if (typeof id === 'number') window.clearTimeout(id);
      },
    };
    this.#backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    options.onStatus('connecting');
    this.#connect();
  }

  /** True while a socket is open and its voice session listens. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Sends a microphone frame when connected (dropped otherwise, or when the socket lags). */
  sendAudio(frame: ArrayBuffer): void {
    const socket = this.#socket;
    if (this.#ready && socket?.readyState === OPEN && socket.bufferedAmount < MAX_BUFFERED_BYTES)
      socket.send(frame);
  }

  /** The user leaves voice mode: ends the voice session and the link. */
  stop(): void {
    const socket = this.#socket;
    if (socket?.readyState === OPEN) socket.send(JSON.stringify({ type: 'stop' }));
    this.#end({});
  }

  #connect(): void {
    this.#timer = undefined;
    let opened = false;
    const socket = this.#options.open({
      open: () => {
        if (this.#socket !== socket) return;
        opened = true;
        socket.send(JSON.stringify({ type: 'start' }));
      },
      message: (data) => {
        if (this.#socket !== socket) return;
        if (typeof data !== 'string') return this.#options.onAudio(data);
        const control = parseControl(data);
        if (!control) return;
        if (control.type !== 'ready') return this.#options.onControl(control);
        this.#ready = true;
        this.#wasReady = true;
        this.#retries = 0; // a working connection: the next drop starts the delays over
        this.#options.onStatus('open');
      },
      close: (code) => {
        if (this.#socket !== socket) return;
        this.#socket = undefined;
        this.#ready = false;
        if (!opened) return void this.#diagnose();
        if (RETRY_CLOSE_CODES.has(code)) return this.#retry();
        this.#end(code === 1000 ? {} : { error: `The voice connection closed (${code}).` });
      },
    });
    this.#socket = socket;
  }

  /** A handshake failed: refused (end) or not (retry)? */
  async #diagnose(): Promise<void> {
    let refusal: VoiceRefusal | undefined;
    try {
      refusal = await this.#options.diagnose();
    } catch {
      refusal = undefined; // the server is unreachable: a restart, try again
    }
    if (this.#ended) return;
    // Busy after we were connected: the server still holds our vanished socket until
    // its keep-alive ping goes unanswered (one or two heartbeats), so keep trying.
    const ownOldSocket = refusal?.code === 'WEBUI_VOICE_BUSY' && this.#wasReady;
    if (refusal && !ownOldSocket) this.#end({ error: refusal.message });
    else this.#retry();
  }

  #retry(): void {
    const delayMs = this.#backoffMs[this.#retries];
    if (delayMs === undefined) return this.#end({ error: 'The voice connection was lost.' });
    this.#retries++;
    this.#options.onStatus('reconnecting');
    this.#timer = this.#timers.setTimeout(() => this.#connect(), delayMs);
  }

  #end(end: { error?: string }): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#ready = false;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close();
    this.#options.onEnd(end);
  }
}

/** A server control message, or `undefined` for anything else. */
function parseControl(text: string): ServerControl | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed == null || !('type' in parsed)) return undefined;
  const { type } = parsed;
  if (type === 'ready' || type === 'clear') return { type };
  if (type === 'state' && 'agent' in parsed && 'user' in parsed)
    return { type, agent: String(parsed.agent), user: String(parsed.user) };
  if (type === 'error' && 'code' in parsed && 'message' in parsed)
    return { type, code: String(parsed.code), message: String(parsed.message) };
  return undefined;
}
