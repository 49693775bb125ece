import { defineTool } from '@switchboard/agent-core';
import { toMarkdown, type AnyEvent } from '@switchboard/events';
import { toAgUiEvents } from '@switchboard/events/ag-ui';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  JSON_HEADERS,
  runEnded,
  startTestServer,
  storedEvents,
  waitForEvent,
  type TestServer,
} from '../test-helpers/test-server.js';

const NDJSON = { 'content-type': 'application/x-ndjson' } as const;

const lookup = defineTool({
  description: 'looks up',
  inputSchema: z.object({ q: z.string() }),
  execute: ({ q }) => `found ${q}`,
});

async function finishedSession(t: TestServer, input: string): Promise<string> {
  const created = await t.server.app.inject({ method: 'POST', url: '/api/sessions' });
  const { id } = created.json<{ id: string }>();
  const started = await t.server.app.inject({
    method: 'POST',
    url: `/api/sessions/${id}/runs`,
    headers: JSON_HEADERS,
    payload: { input },
  });
  await waitForEvent(t.log, id, runEnded(started.json<{ runId: string }>().runId));
  return id;
}

function importLog(t: TestServer, body: string, headers: Record<string, string> = NDJSON) {
  return t.server.app.inject({
    method: 'POST',
    url: '/api/sessions/import',
    headers,
    payload: body,
  });
}

/** A view without what differs between a session and its import (ids, positions). */
function comparable(body: {
  view: { items: Array<Record<string, unknown>> } & Record<string, unknown>;
}) {
  const { sessionId: _id, lastSeq: _seq, ...view } = body.view;
  return { ...view, items: view.items.map(({ seq: _s, ...item }) => item) };
}

describe('GET /api/sessions/:id/export', () => {
  it('jsonl: the event log, one envelope per line, as an attachment named after the session', async () => {
    await using t = await startTestServer(
      [{ toolCalls: [{ id: 'c1', name: 'lookup', args: { q: 'x' } }] }, { text: 'Found x.' }],
      { agent: { tools: { lookup } } },
    );
    const id = await finishedSession(t, 'find x');
    const response = await t.server.app.inject({ url: `/api/sessions/${id}/export` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="switchboard-${id}.jsonl"`,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const lines = response.body.trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as AnyEvent)).toEqual(
      await storedEvents(t.log, id),
    );
  });

  it('markdown: the transcript toMarkdown writes; ag-ui: the AG-UI events, one per line', async () => {
    await using t = await startTestServer(
      [{ toolCalls: [{ id: 'c1', name: 'lookup', args: { q: 'x' } }] }, { text: 'Found x.' }],
      { agent: { tools: { lookup } } },
    );
    const id = await finishedSession(t, 'find x');
    const events = await storedEvents(t.log, id);
    const markdown = await t.server.app.inject({
      url: `/api/sessions/${id}/export?format=markdown`,
    });
    expect(markdown.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(markdown.headers['content-disposition']).toContain(`switchboard-${id}.md"`);
    expect(markdown.body).toBe(toMarkdown(events));
    expect(markdown.body).toContain('Found x.');
    const agUi = await t.server.app.inject({ url: `/api/sessions/${id}/export?format=ag-ui` });
    expect(agUi.headers['content-disposition']).toContain(`switchboard-${id}.ag-ui.jsonl"`);
    const agUiEvents = agUi.body
      .trimEnd()
      .split('\n')
      .map((line): unknown => JSON.parse(line));
    expect(agUiEvents).toEqual(JSON.parse(JSON.stringify(toAgUiEvents(events))));
    expect(agUiEvents[0]).toMatchObject({ type: 'RUN_STARTED', threadId: id });
  });

  it('a long session is read page by page, in order', async () => {
    const chunks = Array.from({ length: 1500 }, (_, index) => `${index} `);
    await using t = await startTestServer([{ text: chunks }]);
    const id = await finishedSession(t, 'count');
    const response = await t.server.app.inject({ url: `/api/sessions/${id}/export` });
    const seqs = response.body
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as AnyEvent).seq);
    expect(seqs.length).toBeGreaterThan(1500);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
  });

  it('file names keep only safe characters; bad format 400, unknown session 404', async () => {
    let n = 0;
    await using t = await startTestServer([{ text: 'ok' }], {
      agent: { generateId: (prefix) => `${prefix}:${++n}` },
    });
    const id = await finishedSession(t, 'hi');
    expect(id).toContain(':');
    const response = await t.server.app.inject({ url: `/api/sessions/${id}/export` });
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="switchboard-${id.replace(':', '_')}.jsonl"`,
    );
    const format = await t.server.app.inject({ url: `/api/sessions/${id}/export?format=pdf` });
    expect(format.statusCode).toBe(400);
    expect(format.json().error.message).toContain('querystring.format');
    const unknown = await t.server.app.inject({ url: '/api/sessions/ses_nope/export' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('CORE_SESSION_NOT_FOUND');
  });
});

describe('POST /api/sessions/import', () => {
  it('an export imports as a new session with the same view, and it continues', async () => {
    await using t = await startTestServer(
      [
        { toolCalls: [{ id: 'c1', name: 'lookup', args: { q: 'x' } }] },
        { text: 'Found x.' },
        { text: 'And y.' },
      ],
      { agent: { tools: { lookup } } },
    );
    const id = await finishedSession(t, 'find x');
    const exported = (await t.server.app.inject({ url: `/api/sessions/${id}/export` })).body;
    const eventCount = exported.trimEnd().split('\n').length;

    const response = await importLog(t, exported);
    expect(response.statusCode).toBe(201);
    const imported = response.json();
    expect(imported.id).not.toBe(id);
    expect(imported.events).toBe(eventCount);

    const before = (await t.server.app.inject({ url: `/api/sessions/${id}` })).json();
    const after = (await t.server.app.inject({ url: `/api/sessions/${imported.id}` })).json();
    expect(after.status).toBe('idle');
    expect(after.headSeq).toBe(eventCount);
    expect(comparable(after)).toEqual(comparable(before));
    const list = (await t.server.app.inject({ url: '/api/sessions' })).json();
    expect(list.sessions.map((session: { id: string }) => session.id)).toContain(imported.id);

    const { runId } = (
      await t.server.app.inject({
        method: 'POST',
        url: `/api/sessions/${imported.id}/runs`,
        headers: JSON_HEADERS,
        payload: { input: 'and y?' },
      })
    ).json();
    const end = await waitForEvent(t.log, imported.id, runEnded(runId));
    expect(end.data).toMatchObject({ stopReason: 'completed' });
    expect(end.seq).toBeGreaterThan(eventCount); // the log continues after the imported events
    const prompt = JSON.stringify(t.model.requests[2]!.body);
    expect(prompt).toContain('found x');
    expect(prompt).toContain('Found x.');
  });

  it("keeps the session's title and who gave it (a generated title stays generated), adding no event", async () => {
    await using t = await startTestServer([{ text: 'Found x.' }, { text: 'Looking for x' }], {
      agent: { titles: { enabled: true } },
    });
    const id = await finishedSession(t, 'find x');
    await waitForEvent(t.log, id, (event) => event.type === 'session.title_updated');
    const exported = (await t.server.app.inject({ url: `/api/sessions/${id}/export` })).body;
    const imported = (await importLog(t, exported)).json<{ id: string; title: string }>();
    expect(imported.title).toBe('Looking for x');
    const view = (await t.server.app.inject({ url: `/api/sessions/${imported.id}` })).json<{
      view: { title: string; titleSource: string };
    }>();
    expect(view.view).toMatchObject({ title: 'Looking for x', titleSource: 'model' });
    expect(await storedEvents(t.log, imported.id)).toHaveLength(
      exported.trimEnd().split('\n').length,
    );
    const list = (await t.server.app.inject({ url: '/api/sessions' })).json<{
      sessions: Array<{ id: string; title: string | null }>;
    }>();
    expect(list.sessions.find((session) => session.id === imported.id)?.title).toBe(
      'Looking for x',
    );
  });

  it('a session paused for approval imports paused, and answering it resumes the run', async () => {
    let ran = 0;
    const deploy = defineTool({
      description: 'deploys',
      inputSchema: z.object({ target: z.string() }),
      approval: 'always',
      execute: () => {
        ran += 1;
        return 'deployed';
      },
    });
    await using t = await startTestServer(
      [{ toolCalls: [{ id: 'c1', name: 'deploy', args: { target: 'prod' } }] }, { text: 'Done.' }],
      { agent: { tools: { deploy } } },
    );
    const id = await finishedSession(t, 'deploy');
    const exported = (await t.server.app.inject({ url: `/api/sessions/${id}/export` })).body;
    const { id: copy } = (await importLog(t, exported)).json();
    const view = (await t.server.app.inject({ url: `/api/sessions/${copy}` })).json();
    expect(view.status).toBe('awaiting_input');
    const [approval] = view.view.approvals as Array<{ approvalId: string }>;
    const answer = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${copy}/requests/${approval!.approvalId}`,
      headers: JSON_HEADERS,
      payload: { approved: true },
    });
    expect(answer.statusCode).toBe(200);
    const end = await waitForEvent(t.log, copy, runEnded(answer.json().resumedRunId));
    expect(end.data).toMatchObject({ stopReason: 'completed' });
    expect(ran).toBe(1);
  });

  it('a bad line is 400 WEBUI_INVALID_IMPORT naming it, and nothing is stored', async () => {
    await using t = await startTestServer([{ text: 'ok' }]);
    const id = await finishedSession(t, 'hi');
    const lines = (await t.server.app.inject({ url: `/api/sessions/${id}/export` })).body
      .trimEnd()
      .split('\n');
    const sessionsBefore = (await t.server.app.inject({ url: '/api/sessions' })).json().sessions;

    const notJson = [lines[0], '{"v":1,', ...lines.slice(1)].join('\n');
    const first = await importLog(t, notJson);
    expect(first.statusCode).toBe(400);
    expect(first.json().error).toMatchObject({
      code: 'WEBUI_INVALID_IMPORT',
      message: expect.stringContaining('Line 2 is not a valid event: not JSON'),
    });
    const broken = JSON.parse(lines[2]!) as Record<string, unknown>;
    const invalid = [lines[0], lines[1], JSON.stringify({ ...broken, seq: -1 })].join('\n');
    const second = await importLog(t, invalid);
    expect(second.statusCode).toBe(400);
    expect(second.json().error.message).toMatch(/^Line 3 is not a valid event: EVENTS_\w+/);
    const mixed = [lines[0], JSON.stringify({ ...JSON.parse(lines[1]!), sessionId: 'other' })].join(
      '\n',
    );
    const third = await importLog(t, mixed);
    expect(third.statusCode).toBe(400);
    expect(third.json().error.code).toBe('CORE_INVALID_IMPORT');
    const empty = await importLog(t, '\n\n');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('WEBUI_INVALID_IMPORT');

    const sessionsAfter = (await t.server.app.inject({ url: '/api/sessions' })).json().sessions;
    expect(sessionsAfter).toEqual(sessionsBefore);
  });

  it('takes JSONL content types only (415), has its own size limit (413), and CRLF lines are fine', async () => {
    await using t = await startTestServer([{ text: 'ok' }], {
      server: { importBodyLimit: 20_000 },
    });
    const id = await finishedSession(t, 'hi');
    const exported = (await t.server.app.inject({ url: `/api/sessions/${id}/export` })).body;
    const json = await importLog(t, JSON.stringify(exported), JSON_HEADERS);
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('WEBUI_UNSUPPORTED_MEDIA_TYPE');
    const text = await importLog(t, exported, { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    const crlf = await importLog(t, exported.replaceAll('\n', '\r\n'), {
      'content-type': 'application/jsonl; charset=utf-8',
    });
    expect(crlf.statusCode).toBe(201);
    const padding = `${'\n'.repeat(20_001)}`;
    const tooLarge = await importLog(t, exported + padding);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('WEBUI_BODY_TOO_LARGE');
  });

  it('the import is above the JSON body limit by default (20 MiB) and rate-limited as an upload', async () => {
    await using t = await startTestServer([{ text: 'x'.repeat(2 * 1024 * 1024) }], {
      server: { rateLimit: { uploads: { max: 1, timeWindowMs: 60_000 } } },
    });
    const id = await finishedSession(t, 'a long answer');
    const exported = (await t.server.app.inject({ url: `/api/sessions/${id}/export` })).body;
    expect(exported.length).toBeGreaterThan(1024 * 1024);
    expect((await importLog(t, exported)).statusCode).toBe(201);
    const limited = await importLog(t, exported);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('WEBUI_RATE_LIMITED');
  });
});
