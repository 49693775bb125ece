import { connect } from 'node:net';
import { MemorySessionStore } from '@switchboard/agent-core';
import { describe, expect, it } from 'vitest';
import {
  JSON_HEADERS,
  runEnded,
  startTestServer,
  storedEvents,
  waitForEvent,
} from '../test-helpers/test-server.js';

describe('graceful close', () => {
  it('refuses new runs, cancels a run still going after the grace (keeping its partial text), saves, ends the streams', async () => {
    const store = new MemorySessionStore();
    await using t = await startTestServer(
      [{ text: ['partial ', 'answer', ' never'], stallAfterChunks: 2 }],
      {
        agent: { store },
        server: { shutdownGraceMs: 300 },
      },
    );
    const base = await t.server.listen();
    const { id } = (await (await fetch(`${base}/api/sessions`, { method: 'POST' })).json()) as {
      id: string;
    };
    const started = await fetch(`${base}/api/sessions/${id}/runs`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ input: 'go' }),
    });
    const { runId } = (await started.json()) as { runId: string };
    await waitForEvent(t.log, id, (event) => event.type === 'message.delta');
    const stream = await fetch(`${base}/api/sessions/${id}/events`);
    const reading = (async () => {
      const reader = stream.body!.getReader();
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
      }
    })();

    const closing = t.server.close();
    const refused = await t.server.app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/runs`,
      headers: JSON_HEADERS,
      payload: { input: 'another' },
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.code).toBe('WEBUI_SHUTTING_DOWN');
    await closing;

    const text = await reading; // the stream ended (cleanly: the body completed)
    expect(text).toContain('"type":"message.delta"');
    // The watcher saw the run's end before its stream was closed (no reconnect needed to learn it).
    expect(text).toContain('"type":"run.finished"');
    const end = (await storedEvents(t.log, id)).filter(runEnded(runId));
    expect(end).toHaveLength(1);
    expect(end[0]!.data).toMatchObject({ stopReason: 'cancelled' });
    const snapshot = await store.load(id);
    expect(snapshot?.status).toBe('idle'); // not 'closed': the next process continues the session
    const assistant = snapshot?.transcript.find((entry) => entry.message.role === 'assistant');
    expect(assistant?.display.status).toBe('partial');
    expect(JSON.stringify(assistant?.message.content)).toContain('partial ');
  });

  it('lets a run that finishes within the grace complete', async () => {
    await using t = await startTestServer([{ text: ['a', 'b', 'c', 'd'], delayMs: 40 }], {
      server: { shutdownGraceMs: 5_000 },
    });
    const { id } = (await t.server.app.inject({ method: 'POST', url: '/api/sessions' })).json();
    const { runId } = (
      await t.server.app.inject({
        method: 'POST',
        url: `/api/sessions/${id}/runs`,
        payload: { input: 'go' },
      })
    ).json();
    await t.server.close();
    const end = (await storedEvents(t.log, id)).filter(runEnded(runId));
    expect(end[0]!.data).toMatchObject({ stopReason: 'completed' });
  });

  it('is not held open by a connection that never sent a request', async () => {
    await using t = await startTestServer([]);
    const base = new URL(await t.server.listen());
    const socket = connect(Number(base.port), base.hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closedSocket = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const started = Date.now();
    await t.server.close();
    await closedSocket;
    expect(Date.now() - started).toBeLessThan(5_000); // without the fix: until the client gives up (never, here)
  });
});
