import { describe, expect, it } from 'vitest';
import { createServer } from '../server/create-server.js';
import { startTestServer } from '../test-helpers/test-server.js';
import { VERSION } from '../version.js';

describe('GET /api/health and /api/config', () => {
  it('reports the version, the default model and the models sessions may use', async () => {
    await using t = await startTestServer([], {
      agent: { models: ['openai-compatible:large-model'] },
    });
    const health = await t.server.app.inject({ url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ ok: true, version: VERSION });
    const config = await t.server.app.inject({ url: '/api/config' });
    expect(config.json()).toEqual({
      model: 'openai-compatible:test-model',
      models: ['openai-compatible:test-model', 'openai-compatible:large-model'],
      features: { approvals: true, voice: false, tracing: false, attachments: false },
    });
  });

  it('without an agent: model null, and every session route answers 503 WEBUI_NO_MODEL with the variables to set', async () => {
    const server = await createServer({ logger: false });
    try {
      const config = await server.app.inject({ url: '/api/config' });
      expect(config.json()).toEqual({
        model: null,
        models: [],
        features: { approvals: false, voice: false, tracing: false, attachments: false },
      });
      for (const [method, url] of [
        ['GET', '/api/sessions'],
        ['POST', '/api/sessions'],
        ['GET', '/api/sessions/ses_1'],
        ['POST', '/api/sessions/ses_1/runs'],
        ['GET', '/api/sessions/ses_1/events'],
        ['GET', '/api/sessions/ses_1/chat/stream'],
        ['GET', '/api/sessions/ses_1/export'],
      ] as const) {
        const response = await server.app.inject({
          method,
          url,
          ...(method === 'POST' ? { payload: url.endsWith('runs') ? { input: 'hi' } : {} } : {}),
        });
        expect(response.statusCode, `${method} ${url}`).toBe(503);
        expect(response.json().error.code).toBe('WEBUI_NO_MODEL');
        expect(response.json().error.hint).toContain('SWITCHBOARD_MODEL');
      }
    } finally {
      await server.close();
    }
  });
});
