import { describe, expect, it } from 'vitest';
import {
  VoiceLink,
  type LinkTimers,
  type ServerControl,
  type VoiceLinkStatus,
  type VoiceRefusal,
  type VoiceSocketEvents,
} from './voice-link.js';

/** A socket the test drives: it records what the link sent and whether it closed it. */
class FakeSocket {
  readyState = 0;
  bufferedAmount = 0;
  readonly sent: (string | ArrayBuffer)[] = [];
  closedByLink = false;
  constructor(readonly events: VoiceSocketEvents) {}
  send(data: string | ArrayBuffer): void {
    this.sent.push(data);
  }
  close(): void {
    this.closedByLink = true;
    this.readyState = 3;
  }
  /** The server accepted the handshake and the voice session is listening. */
  accept(): void {
    this.readyState = 1;
    this.events.open();
    this.events.message(JSON.stringify({ type: 'ready', sampleRate: 16000, frameMs: 20 }));
  }
  /** The connection went away (the browser reports a code). */
  drop(code = 1006): void {
    this.readyState = 3;
    this.events.close(code);
  }
}

/** Timers on a manual clock. */
class ManualTimers implements LinkTimers {
  now = 0;
  readonly #due = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#due.set(id, { at: this.now + ms, callback });
    return id;
  }
  clearTimeout(id: unknown): void {
    if (typeof id === 'number') this.#due.delete(id);
  }
  get pending(): number {
    return this.#due.size;
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const [id, next] = [...this.#due].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !next || next.at > until) break;
      this.#due.delete(id);
      this.now = next.at;
      next.callback();
    }
    this.now = until;
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function harness(options: { refusal?: VoiceRefusal; backoffMs?: number[] } = {}) {
  const sockets: FakeSocket[] = [];
  const statuses: VoiceLinkStatus[] = [];
  const controls: ServerControl[] = [];
  const ends: { error?: string }[] = [];
  let diagnosed = 0;
  let refusal = options.refusal;
  const timers = new ManualTimers();
  const link = new VoiceLink({
    open: (events) => {
      const socket = new FakeSocket(events);
      sockets.push(socket);
      return socket;
    },
    diagnose: () => {
      diagnosed++;
      return Promise.resolve(refusal);
    },
    timers,
    backoffMs: options.backoffMs ?? [500, 1000, 2000],
    onStatus: (status) => statuses.push(status),
    onControl: (control) => controls.push(control),
    onAudio: () => undefined,
    onEnd: (end) => ends.push(end),
  });
  const last = () => sockets.at(-1)!;
  const openSockets = () =>
    sockets.filter((socket) => !socket.closedByLink && socket.readyState < 2);
  return {
    link,
    sockets,
    statuses,
    controls,
    ends,
    timers,
    last,
    openSockets,
    diagnosed: () => diagnosed,
    setRefusal: (next: VoiceRefusal | undefined) => void (refusal = next),
  };
}

describe('VoiceLink (the web app voice socket, reconnecting)', () => {
  it('a dropped connection comes back after the backoff; the indicator goes reconnecting → open; audio flows only while ready', () => {
    const h = harness();
    expect(h.statuses).toEqual(['connecting']);
    h.last().accept();
    expect(h.last().sent).toEqual([JSON.stringify({ type: 'start' })]);
    h.link.sendAudio(new ArrayBuffer(640));
    expect(h.last().sent).toHaveLength(2);

    h.last().drop(1006); // the server was killed
    expect(h.link.ready).toBe(false);
    expect(h.statuses).toEqual(['connecting', 'open', 'reconnecting']);
    h.link.sendAudio(new ArrayBuffer(640)); // nowhere to go: dropped
    h.timers.advance(499);
    expect(h.sockets).toHaveLength(1);
    h.timers.advance(1);
    expect(h.sockets).toHaveLength(2);
    h.last().accept();
    expect(h.statuses.at(-1)).toBe('open');
    expect(h.last().sent).toEqual([JSON.stringify({ type: 'start' })]);
    expect(h.openSockets()).toEqual([h.last()]);
    expect(h.ends).toEqual([]);
  });

  it('retries an unreachable server with growing delays, a bounded number of times, then ends with an error and nothing left open', async () => {
    const h = harness({ backoffMs: [500, 1000, 2000] });
    h.last().accept();
    h.last().drop(1001); // going away: the server restarts
    const opened: number[] = [];
    for (const delay of [500, 1000, 2000]) {
      h.timers.advance(delay - 1);
      const before = h.sockets.length;
      h.timers.advance(1);
      expect(h.sockets.length).toBe(before + 1);
      opened.push(h.timers.now);
      h.last().drop(1006); // the handshake fails: server still down
      await flush(); // the diagnosis answers "nothing refused": retry
    }
    expect(opened).toEqual([500, 1500, 3500]);
    expect(h.diagnosed()).toBe(3);
    expect(h.ends).toEqual([{ error: 'The voice connection was lost.' }]);
    expect(h.timers.pending).toBe(0);
    expect(h.openSockets()).toEqual([]);
  });

  it('a working connection resets the delays: every drop after a ready starts from the first delay', () => {
    const h = harness({ backoffMs: [500, 1000] });
    for (let round = 0; round < 4; round++) {
      h.last().accept();
      h.last().drop(1006);
      h.timers.advance(500);
    }
    expect(h.sockets).toHaveLength(5);
    expect(h.ends).toEqual([]);
  });

  it('a refused handshake (busy, unauthorised) ends the link without retrying', async () => {
    const h = harness({
      refusal: {
        code: 'WEBUI_VOICE_BUSY',
        message: 'This session already has a voice connection.',
      },
    });
    h.last().drop(1006); // never opened
    await flush();
    expect(h.ends).toEqual([{ error: 'This session already has a voice connection.' }]);
    h.timers.advance(60_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.statuses).toEqual(['connecting']);
  });

  it('busy after a drop is the server still holding our old socket: retried until it lets go', async () => {
    const h = harness({ backoffMs: [500, 1000, 2000] });
    h.last().accept();
    h.last().drop(1006); // the network changed; the server has not noticed yet
    h.setRefusal({ code: 'WEBUI_VOICE_BUSY', message: 'busy' });
    for (const delay of [500, 1000]) {
      h.timers.advance(delay);
      h.last().drop(1006); // refused: the old socket still holds the session
      await flush();
    }
    expect(h.diagnosed()).toBe(2);
    expect(h.ends).toEqual([]);
    h.setRefusal(undefined); // the server's keep-alive ended the old socket
    h.timers.advance(2000);
    h.last().accept();
    expect(h.statuses.at(-1)).toBe('open');
    expect(h.ends).toEqual([]);
  });

  it('the server ending the session (1000, 1011) is not retried', () => {
    const normal = harness();
    normal.last().accept();
    normal.last().drop(1000);
    expect(normal.ends).toEqual([{}]);
    const failed = harness();
    failed.last().accept();
    failed.last().drop(1011);
    expect(failed.ends).toEqual([{ error: 'The voice connection closed (1011).' }]);
    normal.timers.advance(60_000);
    failed.timers.advance(60_000);
    expect([normal.sockets.length, failed.sockets.length]).toEqual([1, 1]);
  });

  it('stop() while waiting to reconnect cancels the retry; stop() while open sends stop and closes the socket', async () => {
    const waiting = harness();
    waiting.last().accept();
    waiting.last().drop(1006);
    waiting.link.stop();
    expect(waiting.timers.pending).toBe(0);
    waiting.timers.advance(60_000);
    expect(waiting.sockets).toHaveLength(1);
    expect(waiting.ends).toEqual([{}]);

    const open = harness();
    open.last().accept();
    open.link.stop();
    expect(open.last().sent.at(-1)).toBe(JSON.stringify({ type: 'stop' }));
    expect(open.last().closedByLink).toBe(true);
    open.link.stop();
    expect(open.ends).toEqual([{}]);

    // A late diagnosis after stop() does nothing.
    const late = harness();
    late.last().drop(1006);
    late.link.stop();
    await flush();
    late.timers.advance(60_000);
    expect(late.sockets).toHaveLength(1);
    expect(late.ends).toEqual([{}]);
  });

  it('passes state, clear and error messages on; ignores what is not a control message', () => {
    const h = harness();
    h.last().accept();
    h.last().events.message(
      JSON.stringify({ type: 'state', agent: 'speaking', user: 'listening' }),
    );
    h.last().events.message('not json');
    h.last().events.message(JSON.stringify({ type: 'clear' }));
    h.last().events.message(JSON.stringify({ type: 'error', code: 'X', message: 'bad' }));
    expect(h.controls).toEqual([
      { type: 'state', agent: 'speaking', user: 'listening' },
      { type: 'clear' },
      { type: 'error', code: 'X', message: 'bad' },
    ]);
  });
});
