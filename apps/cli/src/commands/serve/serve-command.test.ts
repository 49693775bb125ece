import { existsSync } from 'node:fs';
import path from 'node:path';
import { decodeSseStream } from '@switchboard/events';
import { startModelServer, type ModelServer } from '@switchboard/testkit';
import { VOICE_SUBPROTOCOL } from '@switchboard/webui-server';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { runCli, startCli, tempDir } from '../../test-helpers/cli-process.js';
import { cliModelScript } from '../../test-helpers/model-script.js';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ script: cliModelScript });
});
afterAll(() => server.close());

function setup(extra: Record<string, string> = {}) {
  const home = tempDir();
  return {
    cwd: home,
    env: {
      SWITCHBOARD_HOME: home,
      SWITCHBOARD_MODEL: 'openai-compatible:test-model',
      SWITCHBOARD_BASE_URL: server.baseUrl,
      ...extra,
    },
  };
}

const json = async (url: string, init: RequestInit = {}) => {
  const response = await fetch(url, {
    ...init,
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('switchboard serve (the built binary)', () => {
  it('serves the API on a free port: health, a session and a run streamed to its end; SIGTERM stops it cleanly', async () => {
    const context = setup();
    const cli = startCli(['serve', '--port', '0'], context);
    // A failed assertion must not leave the server running.
    onTestFinished(() => void cli.child.kill('SIGKILL'));
    await cli.waitFor(/Serving Switchboard on (http:\/\/127\.0\.0\.1:\d+)/);
    const url = /Serving Switchboard on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stdout())![1]!;
    expect(url).not.toMatch(/:(0|8420)$/);

    expect(await json(`${url}/api/health`)).toMatchObject({ status: 200, body: { ok: true } });
    const config = await json(`${url}/api/config`);
    expect(config.body).toMatchObject({
      model: 'openai-compatible:test-model',
      features: { approvals: true, attachments: true, tracing: false, voice: false },
    });
    const session = await json(`${url}/api/sessions`, { method: 'POST', body: '{}' });
    expect(session.status).toBe(201);
    const id = session.body.id as string;
    const run = await json(`${url}/api/sessions/${id}/runs`, {
      method: 'POST',
      body: JSON.stringify({ input: 'hello' }),
    });
    expect(run.status).toBe(202);

    const stream = await fetch(`${url}/api/sessions/${id}/events`);
    const types: string[] = [];
    let text = '';
    for await (const frame of decodeSseStream(stream.body!)) {
      if (frame.data === '') continue; // retry:
      const event = JSON.parse(frame.data) as { type: string; data: { delta?: string } };
      types.push(event.type);
      if (event.type === 'message.delta') text += event.data.delta;
      if (event.type === 'run.finished') break;
    }
    expect(types).toContain('session.started');
    expect(text).toBe('Hello there!');
    // The request log is JSON on stderr, never on stdout (the URL line is the only result).
    expect(cli.stderr()).toMatch(/"msg":"request completed"/);
    expect(cli.stdout()).not.toContain('"msg"');

    cli.child.kill('SIGTERM');
    const result = await cli.done;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stderr).toMatch(/"msg":"Stopped\."/);
    // The session is in the shared store, for the CLI's other commands.
    const list = await runCli(['sessions', 'list'], context);
    expect(list.stdout).toContain(id);
  });

  it("with SWITCHBOARD_VOICE=offline serves voice: features.voice, a session's voice WebSocket answers start with ready; SIGTERM still stops it cleanly", async () => {
    const cli = startCli(['serve', '--port', '0'], setup({ SWITCHBOARD_VOICE: 'offline' }));
    onTestFinished(() => void cli.child.kill('SIGKILL'));
    const served = /Serving Switchboard on (http:\/\/127\.0\.0\.1:\d+)/;
    await cli.waitFor(served);
    const url = served.exec(cli.stdout())![1]!;

    const config = await json(`${url}/api/config`);
    expect(config.body).toMatchObject({ features: { voice: true } });
    const session = await json(`${url}/api/sessions`, { method: 'POST', body: '{}' });
    expect(session.status).toBe(201);
    const socket = new WebSocket(
      `${url.replace(/^http/, 'ws')}/api/sessions/${session.body.id as string}/voice`,
      [VOICE_SUBPROTOCOL],
    );
    onTestFinished(() => socket.terminate());
    const controls: Record<string, unknown>[] = [];
    const ready = new Promise<void>((resolve) =>
      socket.on('message', (message: Buffer, isBinary) => {
        if (isBinary) return;
        const control = JSON.parse(message.toString()) as Record<string, unknown>;
        controls.push(control);
        if (control.type === 'ready') resolve();
      }),
    );
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`voice handshake refused: ${response.statusCode}`)),
      );
      socket.once('error', reject);
    });
    expect(socket.protocol).toBe(VOICE_SUBPROTOCOL);
    socket.send(JSON.stringify({ type: 'start' }));
    await ready;
    expect(controls.find((control) => control.type === 'ready')).toEqual({
      type: 'ready',
      sampleRate: 16_000,
      frameMs: 20,
    });

    // The server closes with the voice connection open: the socket is ended, the endpoint closed.
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    await socketClosed;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stderr).toMatch(/"msg":"Stopped\."/);
  });

  it('refuses a non-loopback --host without SWITCHBOARD_TOKEN: exit 2, nothing opened', async () => {
    const context = setup();
    const result = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], context);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^switchboard: WEBUI_INSECURE_BIND: Refusing to listen on 0\.0\.0\.0 \(from flag --host\)/m,
    );
    expect(result.stderr).toMatch(/^hint: Set SWITCHBOARD_TOKEN/m);
    expect(existsSync(path.join(context.cwd, 'sessions.db'))).toBe(false);
  });

  it('a bad --port is a usage error naming the flag', async () => {
    const result = await runCli(['serve', '--port', 'http'], setup());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^switchboard: CORE_CONFIG_INVALID: .*--port/m);
  });
});
