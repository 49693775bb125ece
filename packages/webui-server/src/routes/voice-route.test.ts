import { MemorySessionStore } from '@switchboard/agent-core';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startListeningServer } from '../test-helpers/listening-server.js';
import {
  BEARER_SUBPROTOCOL_PREFIX,
  VOICE_MAX_MESSAGE_BYTES,
  VOICE_SUBPROTOCOL,
  type VoiceConnection,
  type VoiceEndpoint,
} from '../voice/voice-endpoint.js';

const TOKEN = 'voice-token-0123456789abcdef';

/** An endpoint that echoes every message back and records its connections. */
function echoEndpoint() {
  const connections: VoiceConnection[] = [];
  let closed = 0;
  const endpoint: VoiceEndpoint = {
    connect(connection) {
      connections.push(connection);
      connection.socket.on('message', (data, isBinary) => {
        if (data instanceof Buffer) connection.socket.send(isBinary ? data : data.toString());
      });
    },
    close: () => void closed++,
  };
  return { endpoint, connections, closed: () => closed };
}

type Outcome =
  | { kind: 'open'; socket: WebSocket }
  | { kind: 'refused'; status: number; body: { error: { code: string } } };

/** Opens a WebSocket and resolves once it is open or the handshake was answered with a status. */
function connect(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], { headers: options.headers ?? {} });
    socket.once('open', () => resolve({ kind: 'open', socket }));
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () =>
        resolve({ kind: 'refused', status: response.statusCode ?? 0, body: JSON.parse(text) }),
      );
    });
    socket.once('error', reject);
  });
}

/** Opens a voice connection and closes it at once: `'open'` once the session is free again. */
async function opensAndCloses(url: string): Promise<Outcome['kind']> {
  const outcome = await connect(url);
  if (outcome.kind === 'open') outcome.socket.close();
  return outcome.kind;
}

const bearer = (token: string) =>
  `${BEARER_SUBPROTOCOL_PREFIX}${Buffer.from(token).toString('base64url')}`;

const wsUrl = (base: string, path: string) => base.replace(/^http/, 'ws') + path;

describe('GET /api/sessions/:id/voice', () => {
  it('without an injected endpoint: 503 WEBUI_VOICE_DISABLED and features.voice false', async () => {
    await using s = await startListeningServer([]);
    const id = await s.newSession();
    const outcome = await connect(wsUrl(s.base, `/api/sessions/${id}/voice`));
    expect(outcome).toMatchObject({
      kind: 'refused',
      status: 503,
      body: { error: { code: 'WEBUI_VOICE_DISABLED' } },
    });
    const config = (await (await fetch(`${s.base}/api/config`)).json()) as {
      features: { voice: boolean };
    };
    expect(config.features.voice).toBe(false);
  });

  it('connects the endpoint to the session: binary and text frames flow both ways; features.voice true; close() closes the endpoint', async () => {
    const echo = echoEndpoint();
    const s = await startListeningServer([], { server: { voice: echo.endpoint } });
    try {
      const id = await s.newSession();
      const config = (await (await fetch(`${s.base}/api/config`)).json()) as {
        features: { voice: boolean };
      };
      expect(config.features.voice).toBe(true);
      const outcome = await connect(wsUrl(s.base, `/api/sessions/${id}/voice`), {
        protocols: [VOICE_SUBPROTOCOL],
      });
      if (outcome.kind !== 'open') throw new Error(`refused: ${JSON.stringify(outcome)}`);
      const { socket } = outcome;
      expect(socket.protocol).toBe(VOICE_SUBPROTOCOL);
      expect(echo.connections.map((connection) => connection.session.id)).toEqual([id]);
      const replies: unknown[] = [];
      const two = new Promise<void>((resolve) =>
        socket.on('message', (data: Buffer, isBinary) => {
          replies.push(
            isBinary ? [...new Int16Array(new Uint8Array(data).buffer)] : data.toString(),
          );
          if (replies.length === 2) resolve();
        }),
      );
      socket.send(Int16Array.from([1, -2, 3]));
      socket.send(JSON.stringify({ type: 'start' }));
      await two;
      expect(replies).toEqual([[1, -2, 3], '{"type":"start"}']);
      socket.close();
    } finally {
      await s[Symbol.asyncDispose]();
    }
    expect(echo.closed()).toBe(1);
  });

  it('with a token: refused without it (401) or with a wrong one, accepted as a bearer subprotocol that is never echoed', async () => {
    const echo = echoEndpoint();
    await using s = await startListeningServer([], {
      server: { voice: echo.endpoint, token: TOKEN },
    });
    const created = await fetch(`${s.base}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const { id } = (await created.json()) as { id: string };
    const url = wsUrl(s.base, `/api/sessions/${id}/voice`);
    expect(await connect(url, { protocols: [VOICE_SUBPROTOCOL] })).toMatchObject({
      status: 401,
      body: { error: { code: 'WEBUI_UNAUTHORIZED' } },
    });
    expect(
      await connect(url, { protocols: [VOICE_SUBPROTOCOL, bearer('wrong-token-0123456789')] }),
    ).toMatchObject({ status: 401 });
    const withHeader = await connect(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(withHeader.kind).toBe('open');
    if (withHeader.kind === 'open') withHeader.socket.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The token's protocol comes first: the server still selects only the voice protocol.
    const ok = await connect(url, { protocols: [bearer(TOKEN), VOICE_SUBPROTOCOL] });
    if (ok.kind !== 'open') throw new Error(`refused: ${JSON.stringify(ok)}`);
    expect(ok.socket.protocol).toBe(VOICE_SUBPROTOCOL);
    ok.socket.close();
  });

  it('refuses a foreign Origin (403), a foreign Host (421), an unknown session (404), a plain GET (400), a second connection (409, also told to a plain GET)', async () => {
    const echo = echoEndpoint();
    await using s = await startListeningServer([], { server: { voice: echo.endpoint } });
    const id = await s.newSession();
    const url = wsUrl(s.base, `/api/sessions/${id}/voice`);
    const host = new URL(s.base).host;
    expect(await connect(url, { headers: { origin: 'https://evil.example' } })).toMatchObject({
      status: 403,
      body: { error: { code: 'WEBUI_FORBIDDEN_ORIGIN' } },
    });
    expect(await connect(url, { headers: { host: 'evil.example' } })).toMatchObject({
      status: 421,
    });
    expect(await connect(wsUrl(s.base, '/api/sessions/ses_nope/voice'))).toMatchObject({
      status: 404,
    });
    const plain = await fetch(`${s.base}/api/sessions/${id}/voice`);
    expect(plain.status).toBe(400);
    const first = await connect(url, { headers: { origin: `http://${host}` } });
    expect(first.kind).toBe('open');
    expect(await connect(url)).toMatchObject({
      status: 409,
      body: { error: { code: 'WEBUI_VOICE_BUSY' } },
    });
    // A plain GET tells why a handshake would be refused (browsers hide the handshake's answer).
    const asked = await fetch(`${s.base}/api/sessions/${id}/voice`);
    expect(asked.status).toBe(409);
    expect(await asked.json()).toMatchObject({ error: { code: 'WEBUI_VOICE_BUSY' } });
    if (first.kind === 'open') {
      const closed = new Promise((resolve) => first.socket.once('close', resolve));
      first.socket.close();
      await closed;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await connect(url);
    expect(again.kind).toBe('open');
    if (again.kind === 'open') again.socket.close();
  });

  it('two upgrades at once for one session: exactly one opens, the others get 409 WEBUI_VOICE_BUSY; after it closes a new one opens', async () => {
    const echo = echoEndpoint();
    // Idle sessions give their lease up after 20 ms, and taking it back takes the store
    // 50 ms: the handshakes' checks all wait on that reload, then run one after the other.
    class SlowLeaseStore extends MemorySessionStore {
      override async acquireLease(sessionId: string, owner: string) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return super.acquireLease(sessionId, owner);
      }
    }
    await using s = await startListeningServer([], {
      agent: { store: new SlowLeaseStore() },
      server: { voice: echo.endpoint, idleReleaseMs: 20 },
    });
    const id = await s.newSession();
    const url = wsUrl(s.base, `/api/sessions/${id}/voice`);
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, 100)); // the lease is given up
      // Sent together: their checks all await the session's reload before any upgrade.
      const outcomes = await Promise.all([connect(url), connect(url), connect(url)]);
      const open = outcomes.filter((outcome) => outcome.kind === 'open');
      const refused = outcomes.filter((outcome) => outcome.kind === 'refused');
      for (const socket of open) socket.socket.on('message', () => undefined);
      expect(open).toHaveLength(1);
      expect(refused).toHaveLength(2);
      for (const outcome of refused)
        expect(outcome).toMatchObject({
          status: 409,
          body: { error: { code: 'WEBUI_VOICE_BUSY' } },
        });
      const first = open[0]!.socket;
      const closed = new Promise((resolve) => first.once('close', resolve));
      first.close();
      await closed;
      // The server releases the session when its side of the socket closes.
      await expect.poll(() => opensAndCloses(url)).toBe('open');
    }
    expect(echo.connections.length).toBeGreaterThanOrEqual(6);
  });

  it('ends a socket whose peer stops answering pings, giving the session back; a live peer stays', async () => {
    const echo = echoEndpoint();
    await using s = await startListeningServer([], {
      server: { voice: echo.endpoint, heartbeatMs: 40 },
    });
    const id = await s.newSession();
    const url = wsUrl(s.base, `/api/sessions/${id}/voice`);
    // A peer that answers pings (ws does by default) outlives many intervals.
    const live = await connect(url);
    if (live.kind !== 'open') throw new Error('refused');
    let pings = 0;
    live.socket.on('ping', () => pings++);
    await expect.poll(() => pings, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    expect(live.socket.readyState).toBe(WebSocket.OPEN);
    const liveClosed = new Promise((resolve) => live.socket.once('close', resolve));
    live.socket.close();
    await liveClosed;
    // A half-open peer: it never answers a ping (what a vanished laptop looks like). Opened
    // once the server has seen the live socket's close and given the claim back.
    const openSilent = () =>
      new Promise<WebSocket | undefined>((resolve, reject) => {
        const socket = new WebSocket(url, [], { autoPong: false });
        socket.once('open', () => resolve(socket));
        socket.once('unexpected-response', () => resolve(undefined));
        socket.once('error', reject);
      });
    let silent: WebSocket | undefined;
    await expect.poll(async () => (silent = await openSilent())).toBeDefined();
    const opened: WebSocket | undefined = silent;
    if (!opened) throw new Error('never opened');
    const code = await new Promise<number>((resolve) => opened.once('close', resolve));
    expect(code).toBe(1006); // terminated, no close frame
    // Its claim was given back: a new connection opens.
    await expect.poll(() => opensAndCloses(url)).toBe('open');
  });

  it('closes the socket with 1009 on a message above the limit', async () => {
    const echo = echoEndpoint();
    await using s = await startListeningServer([], { server: { voice: echo.endpoint } });
    const id = await s.newSession();
    const outcome = await connect(wsUrl(s.base, `/api/sessions/${id}/voice`));
    if (outcome.kind !== 'open') throw new Error('refused');
    const closed = new Promise<number>((resolve) =>
      outcome.socket.once('close', (code) => resolve(code)),
    );
    outcome.socket.on('error', () => undefined);
    outcome.socket.send(new Uint8Array(VOICE_MAX_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009);
  });
});
