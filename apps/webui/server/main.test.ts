import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startLangfuseReceiver, startModelServer } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { readEventsUntil, runEnded, streamedText } from './test-helpers/read-events.js';
import { FIXTURE_ENTRY, api, scratchDir, spawnWebApp } from './test-helpers/web-app-process.js';

const TOKEN = 'test-token-0123456789abcdef';
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]);

describe('node dist-server/main.js', () => {
  it('starts on PORT=0 without a model: says what to set, /api/config model null, / serves the built chat UI', async () => {
    using dir = scratchDir();
    await using app = spawnWebApp({
      cwd: dir.path,
      env: { SWITCHBOARD_HOME: path.join(dir.path, 'home'), PORT: '0' },
    });
    const url = await app.listening();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:(0|8420)$/);

    const noModel = app.lines().filter((line) => line.msg.startsWith('No model configured'));
    expect(noModel).toHaveLength(1);
    expect(noModel[0]!.level).toBe(40);
    for (const variable of ['SWITCHBOARD_MODEL', 'SWITCHBOARD_BASE_URL', 'SWITCHBOARD_API_KEY'])
      expect(noModel[0]!.msg).toContain(variable);

    const health = await api(url, '/api/health');
    expect(health).toMatchObject({ status: 200, json: { ok: true } });
    expect(health.json.version).toMatch(/^\d+\.\d+\.\d+/);
    const config = await api(url, '/api/config');
    expect(config.json).toMatchObject({ model: null, models: [], features: { tracing: false } });
    const sessions = await api(url, '/api/sessions', { body: {} });
    expect(sessions.status).toBe(503);
    expect(sessions.json.error.code).toBe('WEBUI_NO_MODEL');

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    await asset.arrayBuffer();
    const missing = await fetch(`${url}/nope.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'WEBUI_NOT_FOUND',
    );

    // Request logs carry Fastify's request id.
    const completed = app.lines().filter((line) => line.msg === 'request completed');
    expect(completed.length).toBeGreaterThan(0);
    expect(completed.every((line) => typeof line.reqId === 'string')).toBe(true);
    // Nothing is created on disk without a model.
    expect(existsSync(path.join(dir.path, 'home', 'sessions.db'))).toBe(false);

    expect(await app.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('without the chat UI build, / is a status page: version, model, links to the API', async () => {
    using dir = scratchDir();
    const emptyClient = path.join(dir.path, 'no-client');
    mkdirSync(emptyClient);
    await using model = await startModelServer({ script: [] });
    await using app = spawnWebApp({
      cwd: dir.path,
      entry: FIXTURE_ENTRY,
      env: {
        SWITCHBOARD_HOME: path.join(dir.path, 'home'),
        PORT: '0',
        WEBUI_TEST_CLIENT_DIR: emptyClient,
        SWITCHBOARD_MODEL: 'openai-compatible:status-model',
        SWITCHBOARD_BASE_URL: model.baseUrl,
      },
    });
    const url = await app.listening();
    const { version } = (await api(url, '/api/health')).json as { version: string };
    const page = await fetch(`${url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Switchboard web app');
    expect(html).toContain(version);
    expect(html).toContain('openai-compatible:status-model');
    expect(html).toContain('href="/api/health"');
    expect(html).toContain('href="/api/config"');
    expect(html).not.toContain('<script');
    expect(await app.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('refuses a non-loopback HOST without SWITCHBOARD_TOKEN: exit 1, a clear line, nothing opened', async () => {
    using dir = scratchDir();
    const home = path.join(dir.path, 'home');
    await using app = spawnWebApp({
      cwd: dir.path,
      env: {
        SWITCHBOARD_HOME: home,
        HOST: '0.0.0.0',
        PORT: '0',
        SWITCHBOARD_MODEL: 'openai-compatible:m',
        SWITCHBOARD_BASE_URL: 'http://127.0.0.1:9/v1',
      },
    });
    expect(await app.exited).toEqual({ code: 1, signal: null });
    const fatal = app.lines().filter((line) => line.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ code: 'WEBUI_INSECURE_BIND' });
    expect(fatal[0]!.msg).toContain('0.0.0.0 (from env HOST)');
    expect(fatal[0]!.hint).toContain('SWITCHBOARD_TOKEN');
    expect(existsSync(home) ? readdirSync(home) : []).toEqual([]);
  });

  it('a model it cannot use (no key) or a bad PORT: exit 1 with the code and what to set', async () => {
    using dir = scratchDir();
    await using noKey = spawnWebApp({
      cwd: dir.path,
      env: {
        SWITCHBOARD_HOME: path.join(dir.path, 'home'),
        PORT: '0',
        SWITCHBOARD_MODEL: 'openai:gpt-4o-mini',
      },
    });
    expect(await noKey.exited).toEqual({ code: 1, signal: null });
    const fatal = noKey.lines().find((line) => line.level === 60);
    expect(fatal).toMatchObject({ code: 'CORE_MISSING_API_KEY' });
    expect(fatal!.msg).toContain('OPENAI_API_KEY');

    await using badPort = spawnWebApp({
      cwd: dir.path,
      env: { SWITCHBOARD_HOME: path.join(dir.path, 'home'), PORT: 'http' },
    });
    expect(await badPort.exited).toEqual({ code: 1, signal: null });
    expect(badPort.lines().find((line) => line.level === 60)).toMatchObject({
      code: 'CORE_CONFIG_INVALID',
      msg: expect.stringContaining('PORT: must be a port number'),
    });
  });

  it('with SWITCHBOARD_TOKEN it listens beyond loopback and every /api request needs the bearer token', async () => {
    using dir = scratchDir();
    await using app = spawnWebApp({
      cwd: dir.path,
      env: {
        SWITCHBOARD_HOME: path.join(dir.path, 'home'),
        SWITCHBOARD_HOST: '0.0.0.0',
        HOST: '127.0.0.1', // SWITCHBOARD_HOST wins over HOST
        SWITCHBOARD_PORT: '0',
        SWITCHBOARD_TOKEN: TOKEN,
        SWITCHBOARD_ALLOWED_HOSTS: 'chat.example.com', // the reverse proxy's public name
      },
    });
    const url = await app.listening();
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const port = Number(new URL(url).port);
    expect(await statusWithHost(port, 'chat.example.com', TOKEN)).toBe(200);
    expect(await statusWithHost(port, 'evil.example', TOKEN)).toBe(421); // DNS rebinding
    const local = url.replace('0.0.0.0', '127.0.0.1');
    const denied = await api(local, '/api/config');
    expect(denied.status).toBe(401);
    expect(await api(local, '/api/config', { token: TOKEN })).toMatchObject({
      status: 200,
      json: { model: null },
    });
    expect(app.output()).not.toContain(TOKEN);
    expect(await app.stop()).toEqual({ code: 0, signal: null });
  });

  it('traces runs to Langfuse when LANGFUSE_* is set (injected plugin), flushed by a graceful stop', async () => {
    using dir = scratchDir();
    const secretKey = 'sk-lf-canary-40d1c3b2';
    await using langfuse = await startLangfuseReceiver({ publicKey: 'pk-lf-test', secretKey });
    await using model = await startModelServer({ script: [{ text: 'Traced answer.' }] });
    await using app = spawnWebApp({
      cwd: dir.path,
      env: {
        SWITCHBOARD_HOME: path.join(dir.path, 'home'),
        PORT: '0',
        SWITCHBOARD_MODEL: 'openai-compatible:test-model',
        SWITCHBOARD_BASE_URL: model.baseUrl,
        LANGFUSE_PUBLIC_KEY: 'pk-lf-test',
        LANGFUSE_SECRET_KEY: secretKey,
        LANGFUSE_BASE_URL: langfuse.baseUrl,
      },
    });
    const url = await app.listening();
    expect((await api(url, '/api/config')).json.features).toMatchObject({ tracing: true });
    expect(app.lines().find((line) => line.url === url)).toMatchObject({ tracing: true });
    const sessionId = (await api(url, '/api/sessions', { body: {} })).json.id as string;
    const run = await api(url, `/api/sessions/${sessionId}/runs`, { body: { input: 'Trace me' } });
    await readEventsUntil(url, sessionId, { until: runEnded(run.json.runId) });
    expect(await app.stop()).toEqual({ code: 0, signal: null });
    const spans = await langfuse.waitForSpans((all) =>
      all.some((span) => span.name === 'assistant response'),
    );
    const turn = spans.find((span) => span.attributes['langfuse.observation.type'] === 'agent');
    expect(turn?.name).toBe('switchboard — Turn 1');
    expect(turn?.attributes['session.id']).toBe(sessionId);
    expect(app.output()).not.toContain(secretKey);
  });

  it('runs a chat over HTTP (session, run, SSE to run.finished); the API key never reaches stdout or stderr', async () => {
    const canary = 'sk-canary-7f3a9c1e5b2d4680';
    using dir = scratchDir();
    await using model = await startModelServer({
      apiKey: canary,
      script: [
        { text: ['Hello ', 'from ', 'the model.'], usage: { inputTokens: 9, outputTokens: 4 } },
        // A provider that echoes the key it rejected (some do): still never logged.
        { error: { status: 401, body: { error: { message: `Incorrect API key: ${canary}` } } } },
      ],
    });
    await using app = spawnWebApp({
      cwd: dir.path,
      env: {
        SWITCHBOARD_HOME: path.join(dir.path, 'home'),
        PORT: '0',
        SWITCHBOARD_MODEL: 'openai-compatible:test-model',
        SWITCHBOARD_BASE_URL: model.baseUrl,
        SWITCHBOARD_API_KEY: canary,
      },
    });
    const url = await app.listening();
    const config = (await api(url, '/api/config')).json;
    expect(config.model).toMatch(/test-model$/);
    expect(config.features).toMatchObject({ attachments: true });

    // Uploads are on by default and land under SWITCHBOARD_HOME/attachments.
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'dot.png');
    const uploaded = await fetch(`${url}/api/attachments`, { method: 'POST', body: form });
    expect(uploaded.status).toBe(201);
    const attachment = (await uploaded.json()) as { id: string; mediaType: string };
    expect(attachment.mediaType).toBe('image/png');
    const stored = path.join(dir.path, 'home', 'attachments', attachment.id.slice(0, 2));
    expect(readFileSync(path.join(stored, attachment.id))).toEqual(Buffer.from(PNG));

    const created = await api(url, '/api/sessions', { body: { title: 'First chat' } });
    expect(created.status).toBe(201);
    const sessionId = created.json.id as string;
    const run = await api(url, `/api/sessions/${sessionId}/runs`, { body: { input: 'Hi there' } });
    expect(run.status).toBe(202);
    const events = await readEventsUntil(url, sessionId, { until: runEnded(run.json.runId) });
    expect(events.at(-1)).toMatchObject({
      type: 'run.finished',
      data: { stopReason: 'completed' },
    });
    expect(streamedText(events)).toBe('Hello from the model.');
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    const failed = await api(url, `/api/sessions/${sessionId}/runs`, { body: { input: 'again' } });
    const failure = await readEventsUntil(url, sessionId, {
      until: runEnded(failed.json.runId),
      after: events.at(-1)!.seq,
    });
    expect(failure.at(-1)!.type).toBe('run.failed');
    const view = await api(url, `/api/sessions/${sessionId}`);
    expect(JSON.stringify(view.json)).not.toContain(canary);
    expect(JSON.stringify(failure)).not.toContain(canary);

    expect(await app.stop()).toEqual({ code: 0, signal: null });
    expect(model.requests[0]!.headers.authorization).toBe('***');
    expect(app.output()).toContain('request completed');
    expect(app.output()).not.toContain(canary);
    expect(app.output()).not.toContain(canary.slice(3));
  });
});

/** The status of `GET /api/config` sent with a chosen `Host` header (fetch cannot set one). */
function statusWithHost(port: number, host: string, token: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: '127.0.0.1',
        port,
        path: '/api/config',
        headers: { host, authorization: `Bearer ${token}` },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode);
      },
    );
    request.on('error', reject);
  });
}
