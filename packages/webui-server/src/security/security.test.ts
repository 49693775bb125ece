import { describe, expect, it } from 'vitest';
import { createServer } from '../server/create-server.js';
import { DEFAULT_BODY_LIMIT } from '../server/server-options.js';
import { JSON_HEADERS, startTestServer } from '../test-helpers/test-server.js';

const TOKEN = 'secret-token-0123456789abcdef';

describe('bearer token', () => {
  it('with a token, every /api route needs Authorization: Bearer (SSE too); a wrong one is refused', async () => {
    await using t = await startTestServer([], { server: { token: TOKEN } });
    const app = t.server.app;
    for (const url of ['/api/health', '/api/config', '/api/sessions', '/api/sessions/x/events']) {
      const missing = await app.inject({ url });
      expect(missing.statusCode, url).toBe(401);
      expect(missing.json().error.code).toBe('WEBUI_UNAUTHORIZED');
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="switchboard"');
      const wrong = await app.inject({
        url,
        headers: { authorization: 'Bearer nope-nope-nope-nope' },
      });
      expect(wrong.statusCode, url).toBe(401);
    }
    const basic = await app.inject({
      url: '/api/health',
      headers: { authorization: `Basic ${TOKEN}` },
    });
    expect(basic.statusCode).toBe(401);
    const ok = await app.inject({
      url: '/api/health',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    const created = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { authorization: `bearer ${TOKEN}` },
    });
    expect(created.statusCode).toBe(201);
  });

  it('never echoes the token: not in an error message, not in a response', async () => {
    await using t = await startTestServer([], { server: { token: TOKEN } });
    const response = await t.server.app.inject({
      url: `/api/sessions/${TOKEN}`,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain(TOKEN);
    expect(response.json().error.message).toContain('[REDACTED]');
  });
});

describe('Host header (DNS rebinding)', () => {
  it('accepts loopback names with any port, refuses other hosts with 421', async () => {
    await using t = await startTestServer([]);
    const app = t.server.app;
    for (const host of [
      'localhost',
      'localhost:8420',
      '127.0.0.1:1234',
      '[::1]:8420',
      'LOCALHOST',
    ]) {
      const response = await app.inject({ url: '/api/health', headers: { host } });
      expect(response.statusCode, host).toBe(200);
    }
    for (const host of [
      'evil.example',
      'evil.example:8420',
      '127.0.0.1.evil.example',
      'localhost.evil.example',
      'a/b',
    ]) {
      const response = await app.inject({ url: '/api/health', headers: { host } });
      expect(response.statusCode, host).toBe(421);
      expect(response.json().error.code).toBe('WEBUI_FORBIDDEN_HOST');
    }
    // Routes outside the API too (an unknown path is still checked first).
    const outside = await app.inject({ url: '/anything', headers: { host: 'evil.example' } });
    expect(outside.statusCode).toBe(421);
  });

  it('accepts a configured public host', async () => {
    await using t = await startTestServer([], {
      server: { allowedHosts: ['switchboard.example'], token: TOKEN },
    });
    const response = await t.server.app.inject({
      url: '/api/health',
      headers: { host: 'switchboard.example:443', authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('Origin and content type', () => {
  it('refuses a cross-origin POST with 403, accepts same-origin and origin-less ones', async () => {
    await using t = await startTestServer([]);
    const app = t.server.app;
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { ...JSON_HEADERS, origin: 'https://evil.example' },
      payload: {},
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('WEBUI_FORBIDDEN_ORIGIN');
    const nullOrigin = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { ...JSON_HEADERS, origin: 'null' },
      payload: {},
    });
    expect(nullOrigin.statusCode).toBe(403);
    const same = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { ...JSON_HEADERS, host: '127.0.0.1:8420', origin: 'http://127.0.0.1:8420' },
      payload: {},
    });
    expect(same.statusCode).toBe(201);
    expect(same.headers['access-control-allow-origin']).toBeUndefined(); // CORS is off
    const otherPort = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { ...JSON_HEADERS, host: '127.0.0.1:8420', origin: 'http://127.0.0.1:3000' },
      payload: {},
    });
    expect(otherPort.statusCode).toBe(403);
    // A cross-origin GET changes nothing and is answered (the browser keeps the body from the page).
    const read = await app.inject({
      url: '/api/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(read.statusCode).toBe(200);
  });

  it('allowedOrigins get CORS headers and a preflight; others get no preflight', async () => {
    await using t = await startTestServer([], {
      server: { allowedOrigins: ['http://localhost:5173'] },
    });
    const app = t.server.app;
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/sessions',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
    const post = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { ...JSON_HEADERS, origin: 'http://localhost:5173' },
      payload: {},
    });
    expect(post.statusCode).toBe(201);
    expect(post.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const refused = await app.inject({
      method: 'OPTIONS',
      url: '/api/sessions',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('JSON routes take application/json only (415), malformed JSON is 400, empty JSON body 400', async () => {
    await using t = await startTestServer([]);
    const app = t.server.app;
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/sessions',
        headers: { 'content-type': type },
        payload: 'title=x',
      });
      expect(response.statusCode, type).toBe(415);
      expect(response.json().error.code).toBe('WEBUI_UNSUPPORTED_MEDIA_TYPE');
    }
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: JSON_HEADERS,
      payload: '{"title": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({
      code: 'WEBUI_INVALID_REQUEST',
      message: 'The body is not valid JSON.',
    });
    const empty = await app.inject({ method: 'POST', url: '/api/sessions', headers: JSON_HEADERS });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('WEBUI_INVALID_REQUEST');
  });

  it('a body over 1 MiB is 413', async () => {
    await using t = await startTestServer([]);
    const response = await t.server.app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: JSON_HEADERS,
      payload: JSON.stringify({ title: 'x'.repeat(DEFAULT_BODY_LIMIT) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('WEBUI_BODY_TOO_LARGE');
  });

  it('schema violations are 400 WEBUI_INVALID_REQUEST naming the field', async () => {
    await using t = await startTestServer([]);
    const app = t.server.app;
    const wrongType = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: JSON_HEADERS,
      payload: { title: 42 },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.code).toBe('WEBUI_INVALID_REQUEST');
    expect(wrongType.json().error.message).toContain('body.title');
    const unknownKey = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: JSON_HEADERS,
      payload: { titel: 'x' },
    });
    expect(unknownKey.statusCode).toBe(400);
    expect(unknownKey.json().error.message).toContain('titel');
    const badQuery = await app.inject({ url: '/api/sessions?limit=0' });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().error.message).toContain('querystring.limit');
    const badParam = await app.inject({ url: '/api/sessions/bad%20id' });
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json().error.message).toContain('params.id');
  });
});

describe('responses', () => {
  it('unknown routes answer 404 JSON, inside and outside /api', async () => {
    await using t = await startTestServer([]);
    for (const url of ['/api/nope', '/nope', '/api/sessions/x/nope']) {
      const response = await t.server.app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('WEBUI_NOT_FOUND');
    }
  });

  it('carries helmet security headers', async () => {
    await using t = await startTestServer([]);
    const response = await t.server.app.inject({ url: '/api/health' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeDefined();
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('start-up', () => {
  it('refuses a non-loopback host without a token (WEBUI_INSECURE_BIND), allows it with one', async () => {
    await expect(createServer({ host: '0.0.0.0', logger: false })).rejects.toMatchObject({
      code: 'WEBUI_INSECURE_BIND',
    });
    await expect(createServer({ host: '192.168.1.20', logger: false })).rejects.toMatchObject({
      code: 'WEBUI_INSECURE_BIND',
    });
    const server = await createServer({ host: '0.0.0.0', token: TOKEN, logger: false });
    await server.close();
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
      const loopback = await createServer({ host, logger: false });
      await loopback.close();
    }
  });

  it('lists every bad option at once (WEBUI_INVALID_OPTIONS)', async () => {
    const error = await createServer({
      port: -1,
      token: 'short',
      allowedOrigins: ['evil.example/path'],
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'WEBUI_INVALID_OPTIONS' });
    const message = (error as Error).message;
    for (const key of ['port', 'token', 'allowedOrigins.0']) expect(message).toContain(key);
  });
});

describe('front-end, export and import routes', () => {
  const routes = [
    ['POST', '/api/sessions/ses_1/chat'],
    ['GET', '/api/sessions/ses_1/chat/stream'],
    ['POST', '/api/sessions/ses_1/ag-ui'],
    ['GET', '/api/sessions/ses_1/export'],
    ['POST', '/api/sessions/import'],
  ] as const;

  it('need the token, a served Host, a same-site Origin for POSTs and JSON bodies', async () => {
    await using t = await startTestServer([], { server: { token: TOKEN } });
    const app = t.server.app;
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const [method, url] of routes) {
      const payload = method === 'POST' ? {} : undefined;
      const noToken = await app.inject({ method, url, payload });
      expect(noToken.statusCode, `${method} ${url}`).toBe(401);
      const host = await app.inject({
        method,
        url,
        headers: { ...auth, host: 'evil.example' },
        payload,
      });
      expect(host.statusCode, `${method} ${url}`).toBe(421);
      if (method !== 'POST') continue;
      const origin = await app.inject({
        method,
        url,
        headers: { ...auth, ...JSON_HEADERS, origin: 'https://evil.example' },
        payload,
      });
      expect(origin.statusCode, url).toBe(403);
      const text = await app.inject({
        method,
        url,
        headers: { ...auth, 'content-type': 'text/plain' },
        payload: '{}',
      });
      expect(text.statusCode, url).toBe(415);
    }
  });
});
