import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '@switchboard/agent-core';
import { JSON_HEADERS, startTestServer, waitForEvent } from '../test-helpers/test-server.js';

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
      model: 'openai-compatible:test-model',
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

describe('session list, rename, delete', () => {
  it('GET /api/sessions lists newest first, filters by title (q) and pages with a cursor', async () => {
    let now = 1_000;
    await using t = await startTestServer([], { now: () => now });
    const app = t.server.app;
    const create = async (title: string) => {
      now += 1_000;
      return (await app.inject({ method: 'POST', url: '/api/sessions', payload: { title } })).json()
        .id as string;
    };
    const ids = [
      await create('Alpha trip'),
      await create('Beta notes'),
      await create('Gamma trip'),
    ];
    const all = (await app.inject({ url: '/api/sessions' })).json();
    expect(all.sessions.map((s: { id: string }) => s.id)).toEqual([...ids].reverse());
    expect(all.nextCursor).toBeNull();
    const trips = (await app.inject({ url: '/api/sessions?q=TRIP' })).json();
    expect(trips.sessions.map((s: { title: string }) => s.title)).toEqual([
      'Gamma trip',
      'Alpha trip',
    ]);
    const first = (await app.inject({ url: '/api/sessions?limit=2' })).json();
    expect(first.sessions).toHaveLength(2);
    const second = (
      await app.inject({ url: `/api/sessions?limit=2&cursor=${first.nextCursor}` })
    ).json();
    expect(second.sessions.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    const badCursor = await app.inject({ url: '/api/sessions?cursor=garbage' });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.message).toContain('cursor');
  });

  it('PATCH renames (the list shows it) and switches the model; a model not offered is 400; an empty patch is 400', async () => {
    await using t = await startTestServer(
      (request) => ({ text: `from ${String((request.body as { model: string }).model)}` }),
      {
        agent: { models: ['openai-compatible:large-model'] },
      },
    );
    const app = t.server.app;
    const { id } = (await app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/sessions/${id}`,
      payload: { title: 'Renamed' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({
      id,
      title: 'Renamed',
      model: 'openai-compatible:test-model',
    });
    expect((await app.inject({ url: '/api/sessions' })).json().sessions[0].title).toBe('Renamed');
    const switched = await app.inject({
      method: 'PATCH',
      url: `/api/sessions/${id}`,
      payload: { model: 'openai-compatible:large-model' },
    });
    expect(switched.statusCode).toBe(200);
    expect(switched.json()).toMatchObject({ id, model: 'openai-compatible:large-model' });
    // The session's next run asks the server for that model.
    const run = await app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/runs`,
      headers: JSON_HEADERS,
      payload: { input: 'hi' },
    });
    expect(run.statusCode).toBe(202);
    await waitForEvent(t.log, id, (event) => event.type === 'run.finished');
    expect(t.model.requests.map((request) => (request.body as { model: string }).model)).toEqual([
      'large-model',
    ]);
    const other = await app.inject({
      method: 'PATCH',
      url: `/api/sessions/${id}`,
      payload: { model: 'openai:gpt-4o' },
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.code).toBe('CORE_MODEL_NOT_ALLOWED');
    const createOther = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { model: 'openai:gpt-4o' },
    });
    expect(createOther.statusCode).toBe(400);
    const createLarge = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { model: 'openai-compatible:large-model' },
    });
    expect(createLarge.statusCode).toBe(201);
    expect(createLarge.json().model).toBe('openai-compatible:large-model');
    const empty = await app.inject({ method: 'PATCH', url: `/api/sessions/${id}`, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('DELETE removes the session and its events: 204, then 404, and it leaves the list', async () => {
    await using t = await startTestServer([]);
    const app = t.server.app;
    const { id } = (await app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const deleted = await app.inject({ method: 'DELETE', url: `/api/sessions/${id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await app.inject({ url: `/api/sessions/${id}` })).statusCode).toBe(404);
    expect(t.log.head(id).seq).toBe(0);
    expect((await app.inject({ url: '/api/sessions' })).json().sessions).toEqual([]);
  });
});

describe('the session list is the store’s', () => {
  it('shows a title the title generator gave after the first exchange', async () => {
    await using t = await startTestServer(
      [{ text: 'Paris is lovely in May.' }, { text: 'A May trip to Paris' }],
      { agent: { titles: { enabled: true } } },
    );
    const app = t.server.app;
    const { id } = (await app.inject({ method: 'POST', url: '/api/sessions' })).json();
    await app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/runs`,
      headers: JSON_HEADERS,
      payload: { input: 'When should I visit Paris?' },
    });
    await waitForEvent(t.log, id, (event) => event.type === 'session.title_updated');
    const listed = (await app.inject({ url: '/api/sessions' })).json();
    expect(listed.sessions[0]).toMatchObject({ id, title: 'A May trip to Paris' });
    expect((await app.inject({ url: `/api/sessions/${id}` })).json().title).toBe(
      'A May trip to Paris',
    );
  });

  it('lists sessions made by an earlier server on the same store, with their titles', async () => {
    const store = new MemorySessionStore();
    {
      await using first = await startTestServer([], { agent: { store } });
      await first.server.app.inject({
        method: 'POST',
        url: '/api/sessions',
        payload: { title: 'Kept across restarts' },
      });
    }
    await using second = await startTestServer([], { agent: { store } });
    const listed = (await second.server.app.inject({ url: '/api/sessions' })).json();
    expect(listed.sessions.map((s: { title: string }) => s.title)).toEqual([
      'Kept across restarts',
    ]);
  });
});
