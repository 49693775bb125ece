import { describe, expect, it } from 'vitest';
import { JSON_HEADERS, startTestServer } from '../test-helpers/test-server.js';

describe('sessions', () => {
  it('POST /api/sessions creates a session: 201 with id, title, model, createdAt', async () => {
    await using t = await startTestServer([]);
    const created = await t.server.app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: JSON_HEADERS,
      payload: { title: 'Trip planning' },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      title: 'Trip planning',
      model: 'openai-compatible.chat:test-model',
    });
    expect(body.id).toMatch(/^ses_/);
    expect(typeof body.createdAt).toBe('number');

    const untitled = await t.server.app.inject({ method: 'POST', url: '/api/sessions' });
    expect(untitled.statusCode).toBe(201);
    expect(untitled.json().title).toBeNull();
  });

  it('GET /api/sessions/:id returns the shared view model built from the log, with headSeq', async () => {
    await using t = await startTestServer([]);
    const { id } = (await t.server.app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const response = await t.server.app.inject({ url: `/api/sessions/${id}` });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ id, status: 'idle', headSeq: 1 });
    expect(body.view).toMatchObject({ sessionId: id, lastSeq: 1, agent: 'tester', items: [] });
    expect(body.view.itemIndex).toBeUndefined();
  });

  it('unknown ids answer 404 with the core code', async () => {
    await using t = await startTestServer([]);
    for (const [method, url] of [
      ['GET', '/api/sessions/ses_nope'],
      ['PATCH', '/api/sessions/ses_nope'],
      ['DELETE', '/api/sessions/ses_nope'],
      ['GET', '/api/sessions/ses_nope/events'],
    ] as const) {
      const response = await t.server.app.inject({
        method,
        url,
        ...(method === 'PATCH' ? { payload: { title: 'x' } } : {}),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().error.code).toBe('CORE_SESSION_NOT_FOUND');
    }
  });
});
