import path from 'node:path';
import type { AnyEvent } from '@switchboard/events';
import { startModelServer } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { readEventsUntil, runEnded, streamedText } from './test-helpers/read-events.js';
import {
  FIXTURE_ENTRY,
  api,
  scratchDir,
  spawnWebApp,
  type WebAppProcess,
} from './test-helpers/web-app-process.js';

/** Generous bound on a graceful stop: the server gives a run 10 s to finish, then cancels and saves it. */
const STOP_BOUND_MS = 45_000;

function appEnv(home: string, baseUrl: string): Record<string, string> {
  return {
    SWITCHBOARD_HOME: home,
    PORT: '0',
    SWITCHBOARD_MODEL: 'openai-compatible:test-model',
    SWITCHBOARD_BASE_URL: baseUrl,
  };
}

/** The view items of a session, through the API (which loads the session, ending a cut-off run). */
async function sessionView(url: string, sessionId: string) {
  const response = await api(url, `/api/sessions/${sessionId}`);
  expect(response.status).toBe(200);
  return response.json as {
    status: string;
    view: {
      items: Array<{ kind: string; role?: string; text?: string; status?: string }>;
      run?: { runId: string; status: string; stopReason?: string };
      approvals: Array<{ approvalId: string; toolName: string }>;
    };
  };
}

async function startedRun(url: string, sessionId: string, input: string): Promise<string> {
  const run = await api(url, `/api/sessions/${sessionId}/runs`, { body: { input } });
  expect(run.status).toBe(202);
  return run.json.runId as string;
}

async function newSession(url: string): Promise<string> {
  const created = await api(url, '/api/sessions', { body: {} });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

/** The events of a whole SSE response body (`data:` lines of each frame; comments skipped). */
function eventsOf(body: string): AnyEvent[] {
  return body
    .split('\n\n')
    .map((frame) => frame.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line) => line !== undefined)
    .map((line) => JSON.parse(line.slice('data: '.length)) as AnyEvent)
    .filter((event) => typeof event.seq === 'number');
}

/** Starts the app and waits for it to listen; returns both. */
async function started(app: WebAppProcess): Promise<[WebAppProcess, string]> {
  return [app, await app.listening()];
}

describe('restarts of the built web app on one SWITCHBOARD_HOME', () => {
  it('T09 kill -9 right after the run started, before any output: the user message stays, the run ends interrupted', async () => {
    using dir = scratchDir();
    const home = path.join(dir.path, 'home');
    // The model accepts the request and stays silent: nothing is produced before the kill.
    await using model = await startModelServer({
      script: [{ text: 'never sent', stallAfterChunks: 0 }, { text: 'Deployed.' }],
    });
    const env = appEnv(home, model.baseUrl);
    let sessionId: string;
    let runId: string;
    {
      await using first = spawnWebApp({ cwd: dir.path, env });
      const url = await first.listening();
      sessionId = await newSession(url);
      runId = await startedRun(url, sessionId, 'deploy it'); // 202: the message is durable
      await readEventsUntil(url, sessionId, {
        until: (event) => event.type === 'generation.started',
      });
      expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    }
    await using second = spawnWebApp({ cwd: dir.path, env });
    const url = await second.listening();
    const { view, status } = await sessionView(url, sessionId);
    expect(status).toBe('idle');
    const messages = view.items.filter((item) => item.kind === 'message');
    expect(messages.map(({ role, text }) => ({ role, text }))).toEqual([
      { role: 'user', text: 'deploy it' },
    ]);
    expect(view.run).toMatchObject({ runId, status: 'finished', stopReason: 'interrupted' });
    const next = await startedRun(url, sessionId, 'try again');
    await readEventsUntil(url, sessionId, { until: runEnded(next) });
    expect(JSON.stringify(model.requests[1]!.body)).toContain('deploy it');
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });

  it('T10 T32 kill -9 mid-run, then a restart: the user message and the partial output stay, the run ends interrupted', async () => {
    using dir = scratchDir();
    const home = path.join(dir.path, 'home');
    await using model = await startModelServer({
      script: [
        // Role chunk + three text chunks, then silence: the run is mid-answer when killed.
        { text: ['Partial ', 'answer ', 'so far', ' never sent'], stallAfterChunks: 4 },
        { text: 'Back again.' },
      ],
    });
    const env = appEnv(home, model.baseUrl);
    let sessionId: string;
    let runId: string;
    {
      await using first = spawnWebApp({ cwd: dir.path, env });
      const url = await first.listening();
      sessionId = await newSession(url);
      runId = await startedRun(url, sessionId, 'Tell me something long');
      // The stream is served from the event log: what it shows is stored.
      const events = await readEventsUntil(url, sessionId, {
        until: (event) => streamedText([event]) === 'so far',
      });
      expect(streamedText(events)).toBe('Partial answer so far');
      expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    }
    await using second = spawnWebApp({ cwd: dir.path, env });
    const url = await second.listening();
    const { view, status } = await sessionView(url, sessionId);
    expect(status).toBe('idle');
    const messages = view.items.filter((item) => item.kind === 'message');
    expect(messages.map(({ role, text, status }) => ({ role, text, status }))).toEqual([
      { role: 'user', text: 'Tell me something long', status: 'completed' },
      { role: 'assistant', text: 'Partial answer so far', status: 'interrupted' },
    ]);
    expect(view.run).toMatchObject({ runId, status: 'finished', stopReason: 'interrupted' });
    // The session goes on: a new run sees the interrupted answer in its prompt.
    const next = await startedRun(url, sessionId, 'Go on');
    const events = await readEventsUntil(url, sessionId, { until: runEnded(next) });
    expect(events.at(-1)).toMatchObject({ data: { stopReason: 'completed' } });
    expect(JSON.stringify(model.requests[1]!.body)).toContain('Partial answer so far');
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });

  it('an approval pending across a graceful restart is answered after it, and the run resumes', async () => {
    using dir = scratchDir();
    const home = path.join(dir.path, 'home');
    await using model = await startModelServer({
      script: [
        { toolCalls: [{ id: 'call_1', name: 'deploy', args: { target: 'prod' } }] },
        { text: 'Deployed to prod.' },
      ],
    });
    const env = appEnv(home, model.baseUrl);
    let sessionId: string;
    let approvalId: string;
    {
      const [first, url] = await started(spawnWebApp({ cwd: dir.path, env, entry: FIXTURE_ENTRY }));
      await using _first = first;
      sessionId = await newSession(url);
      const runId = await startedRun(url, sessionId, 'Deploy it');
      const events = await readEventsUntil(url, sessionId, { until: runEnded(runId) });
      const requested = events.find((event) => event.type === 'tool_call.approval_requested');
      approvalId = (requested!.data as { approvalId: string }).approvalId;
      expect((await sessionView(url, sessionId)).status).toBe('awaiting_input');
      expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    }
    const [second, url] = await started(spawnWebApp({ cwd: dir.path, env, entry: FIXTURE_ENTRY }));
    await using _second = second;
    const before = await sessionView(url, sessionId);
    expect(before.status).toBe('awaiting_input');
    expect(before.view.approvals).toEqual([
      expect.objectContaining({ approvalId, toolName: 'deploy' }),
    ]);
    const answer = await api(url, `/api/sessions/${sessionId}/requests/${approvalId}`, {
      body: { approved: true },
    });
    expect(answer.status).toBe(200);
    const resumed = answer.json.resumedRunId as string;
    const events = await readEventsUntil(url, sessionId, { until: runEnded(resumed) });
    expect(events.at(-1)).toMatchObject({
      type: 'run.finished',
      data: { stopReason: 'completed' },
    });
    const result = events.find(
      (event: AnyEvent) => event.type === 'tool_call.completed' && event.runId === resumed,
    );
    expect(JSON.stringify(result?.data)).toContain(
      `deployed to prod by process ${second.child.pid}`,
    );
    expect(streamedText(events.filter((event) => event.runId === resumed))).toBe(
      'Deployed to prod.',
    );
    expect((await sessionView(url, sessionId)).view.approvals).toEqual([]);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });

  it('SIGTERM during an active run exits 0 in bounded time; the run is saved (cancelled, partial output kept) and its stream ends', async () => {
    using dir = scratchDir();
    const home = path.join(dir.path, 'home');
    await using model = await startModelServer({
      script: [{ text: ['Working ', 'on it', ' — never sent'], stallAfterChunks: 3 }],
    });
    const env = appEnv(home, model.baseUrl);
    let sessionId: string;
    let runId: string;
    let watchedEvents: AnyEvent[];
    {
      await using first = spawnWebApp({ cwd: dir.path, env });
      const url = await first.listening();
      sessionId = await newSession(url);
      runId = await startedRun(url, sessionId, 'Start a long job');
      await readEventsUntil(url, sessionId, {
        until: (event) => streamedText([event]) === 'on it',
      });
      // A client still watching when the signal comes: its stream ends cleanly (no reset).
      const watcher = await fetch(`${url}/api/sessions/${sessionId}/events`);
      expect(watcher.status).toBe(200);
      const watched = watcher.text();
      await readEventsUntil(url, sessionId, { until: (event) => event.type === 'message.delta' });
      const signalledAt = Date.now();
      const exit = await first.stop('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(STOP_BOUND_MS);
      watchedEvents = eventsOf(await watched);
      expect(watchedEvents.length).toBeGreaterThan(0);
      const messages = first.lines().map((line) => line.msg);
      expect(messages).toContain(
        'SIGTERM: shutting down (active runs get time to finish and are saved)',
      );
      expect(messages.at(-1)).toBe('Stopped.');
    }
    await using second = spawnWebApp({ cwd: dir.path, env });
    const url = await second.listening();
    const { view, status } = await sessionView(url, sessionId);
    expect(status).toBe('idle');
    const messages = view.items.filter((item) => item.kind === 'message');
    expect(messages.map(({ role, text, status }) => ({ role, text, status }))).toEqual([
      { role: 'user', text: 'Start a long job', status: 'completed' },
      { role: 'assistant', text: 'Working on it', status: 'cancelled' },
    ]);
    // Saved by the first process: the restart found nothing to interrupt.
    expect(view.run).toMatchObject({ runId, status: 'finished', stopReason: 'cancelled' });
    // The watcher resumes where its stream ended: the run's one terminal event, no gap, no duplicate.
    const sawEnd = watchedEvents.some(runEnded(runId));
    const resumed = sawEnd
      ? []
      : await readEventsUntil(url, sessionId, {
          until: runEnded(runId),
          after: watchedEvents.at(-1)!.seq,
        });
    const all = [...watchedEvents, ...resumed];
    expect(all.filter(runEnded(runId))).toEqual([
      expect.objectContaining({
        type: 'run.finished',
        data: expect.objectContaining({ stopReason: 'cancelled' }),
      }),
    ]);
    expect(all.map((event) => event.seq)).toEqual(all.map((_, index) => index + 1));
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });
});
