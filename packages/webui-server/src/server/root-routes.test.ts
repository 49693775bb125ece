import { describe, expect, it } from 'vitest';
import { createServer } from './create-server.js';

describe('createServer({ routes })', () => {
  it('serves routes outside /api next to the API, with the Host check, security headers and JSON 404s', async () => {
    const server = await createServer({
      logger: false,
      routes: (app) => {
        app.get('/', (_request, reply) => reply.type('text/html').send('<h1>app</h1>'));
        return Promise.resolve();
      },
    });
    try {
      const page = await server.app.inject({ url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toBe('<h1>app</h1>');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect((await server.app.inject({ url: '/api/health' })).statusCode).toBe(200);
      const foreign = await server.app.inject({ url: '/', headers: { host: 'evil.example' } });
      expect(foreign.statusCode).toBe(421);
      expect(foreign.json().error.code).toMatch(/^WEBUI_/);
      const missing = await server.app.inject({ url: '/nope' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('WEBUI_NOT_FOUND');
    } finally {
      await server.close();
    }
  });

  it('refuses a routes value that is not a plugin (WEBUI_INVALID_OPTIONS)', async () => {
    await expect(createServer({ logger: false, routes: 'static' as never })).rejects.toMatchObject({
      code: 'WEBUI_INVALID_OPTIONS',
    });
  });
});
