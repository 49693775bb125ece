import type { Agent } from '@switchboard/agent-core';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../test-helpers/test-server.js';
import { createServer } from './create-server.js';
import type { WebuiPlugin } from './webui-plugin.js';
import { webuiServerPlugin } from './webui-server-plugin.js';

const TOKEN = 'plugin-token-0123456789';

describe('injected plugins', () => {
  it('attach gets the agent, register adds routes under /api behind the same checks, features show in config, close runs last', async () => {
    const calls: string[] = [];
    let attachedTo: Agent | undefined;
    const voice: WebuiPlugin = {
      name: 'voice',
      features: ['voice'],
      attach: (agent) => {
        attachedTo = agent;
        calls.push('attach');
        return () => void calls.push('detach');
      },
      register: async (api) => {
        api.get('/voice/ping', () => ({ pong: true }));
        await Promise.resolve();
      },
      close: () => void calls.push('close'),
    };
    const t = await startTestServer([], { server: { token: TOKEN, plugins: [voice] } });
    try {
      expect(attachedTo).toBe(t.agent);
      const auth = { authorization: `Bearer ${TOKEN}` };
      const config = await t.server.app.inject({ url: '/api/config', headers: auth });
      expect(config.json().features).toEqual({
        approvals: true,
        voice: true,
        tracing: false,
        attachments: false,
      });
      expect((await t.server.app.inject({ url: '/api/voice/ping', headers: auth })).json()).toEqual(
        { pong: true },
      );
      expect((await t.server.app.inject({ url: '/api/voice/ping' })).statusCode).toBe(401);
      expect(
        (
          await t.server.app.inject({
            url: '/api/voice/ping',
            headers: { ...auth, host: 'evil.example' },
          })
        ).statusCode,
      ).toBe(421);
    } finally {
      await t[Symbol.asyncDispose]();
    }
    expect(calls).toEqual(['attach', 'detach', 'close']);
  });

  it('a bad plugin is refused at start-up, naming the field', async () => {
    await expect(
      createServer({
        logger: false,
        plugins: [{ name: '', register: 'nope' } as unknown as WebuiPlugin],
      }),
    ).rejects.toMatchObject({
      code: 'WEBUI_INVALID_OPTIONS',
      message: expect.stringContaining('plugins.0.register'),
    });
  });
});

describe('webuiServerPlugin in an app of its own', () => {
  it('serves the API under the chosen prefix with the error model; the host app keeps its other routes', async () => {
    await using t = await startTestServer([]);
    const app = Fastify();
    app.get('/', () => 'home');
    await app.register(webuiServerPlugin, { prefix: '/api', agent: t.agent });
    try {
      expect((await app.inject({ url: '/' })).body).toBe('home');
      const created = await app.inject({ method: 'POST', url: '/api/sessions', payload: {} });
      expect(created.statusCode).toBe(201);
      const unknown = await app.inject({ url: '/api/nope' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('WEBUI_NOT_FOUND');
      const foreign = await app.inject({ url: '/api/health', headers: { host: 'evil.example' } });
      expect(foreign.statusCode).toBe(421);
    } finally {
      await app.close();
    }
  });

  it('validates its options once (WEBUI_INVALID_OPTIONS)', async () => {
    const app = Fastify();
    await expect(
      app.register(webuiServerPlugin, { heartbeatMs: -5 }).ready(),
    ).rejects.toMatchObject({
      code: 'WEBUI_INVALID_OPTIONS',
    });
    await app.close().catch(() => undefined);
  });
});
