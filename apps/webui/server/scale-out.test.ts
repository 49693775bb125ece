import type { AnyEvent } from '@switchboard/events';
import { startModelServer, startPostgresCluster, type PostgresCluster } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventsUntil, runEnded, streamedText } from './test-helpers/read-events.js';
import { CUT_OFF_SCRIPT, CUT_OFF_TEXT, cutOffRunOnA } from './test-helpers/cut-off-run.js';
import { startTwoInstances } from './test-helpers/two-instances.js';
import { api, scratchDir } from './test-helpers/web-app-process.js';

// Two built web apps (real processes) on two ports, sharing one real PostgreSQL
// server through SWITCHBOARD_DATABASE_URL: what a load balancer in front of
// several instances sees.
let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

async function newSession(url: string): Promise<string> {
  const created = await api(url, '/api/sessions', { body: {} });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

describe('two web app instances on one PostgreSQL database', { timeout: 120_000 }, () => {
  it('a run started through instance B streams live to an SSE client on instance A; a reconnect to B with Last-Event-ID loses and duplicates nothing', async () => {
    using dir = scratchDir();
    await using model = await startModelServer({
      script: [{ text: ['Hello ', 'from ', 'instance ', 'B.'], delayMs: 150 }],
    });
    await using apps = await startTwoInstances({
      dir: dir.path,
      databaseUrl: cluster.url,
      modelBaseUrl: model.baseUrl,
    });
    const { urlA, urlB } = apps;
    // The session is created and run through B (the instance that opened it holds its lease);
    // A serves its stream from the shared log.
    const sessionId = await newSession(urlB);
    // A's client is connected before the run starts on B: what it gets is live fan-out.
    const onA = readEventsUntil(urlA, sessionId, {
      until: (event) => event.type === 'message.delta',
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const run = await api(urlB, `/api/sessions/${sessionId}/runs`, { body: { input: 'hi' } });
    expect(run.status).toBe(202);
    const runId = run.json.runId as string;
    const first = await onA;
    expect(first.at(-1)?.runId).toBe(runId);
    // The tab moves back to instance B and resumes after the last event it saw on A.
    const rest = await readEventsUntil(urlB, sessionId, {
      after: first.at(-1)!.seq,
      until: runEnded(runId),
    });
    const all: AnyEvent[] = [...first, ...rest];
    expect(all.map((event) => event.seq)).toEqual(all.map((_, index) => index + 1));
    expect(streamedText(all)).toBe('Hello from instance B.');
    expect(all.at(-1)).toMatchObject({ type: 'run.finished', data: { stopReason: 'completed' } });
  });

  it('the same session posted to both instances at once: exactly one run starts, the other gets 409', async () => {
    using dir = scratchDir();
    await using model = await startModelServer({
      script: [{ text: ['One ', 'run ', 'only.'], delayMs: 200 }, { text: 'unused' }],
    });
    await using apps = await startTwoInstances({
      dir: dir.path,
      databaseUrl: cluster.url,
      modelBaseUrl: model.baseUrl,
    });
    const { urlA, urlB } = apps;
    const sessionId = await newSession(urlA);
    const answers = await Promise.all(
      [urlA, urlB].map((url) =>
        api(url, `/api/sessions/${sessionId}/runs`, { body: { input: 'go' } }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409]);
    const refused = answers.find((answer) => answer.status === 409)!;
    expect(refused.json.error.code).toMatch(
      /^(CORE_SESSION_LOCKED|WEBUI_RUN_ACTIVE|CORE_SESSION_BUSY|WEBUI_)/,
    );
    const winner = answers.findIndex((answer) => answer.status === 202);
    const started = answers[winner]!;
    // Followed from the other instance: its stream is served from the shared log.
    await readEventsUntil(winner === 0 ? urlB : urlA, sessionId, {
      until: runEnded(started.json.runId as string),
    });
    const view = await api(winner === 0 ? urlA : urlB, `/api/sessions/${sessionId}`);
    const runs = (view.json.view.items as Array<{ kind: string; role?: string }>).filter(
      (item) => item.kind === 'message' && item.role === 'user',
    );
    expect(runs).toHaveLength(1);
    // One chat turn reached the model (the title call that may follow it is not a run).
    const turns = model.requests.filter((request) => !isTitleCall(request.body));
    expect(turns).toHaveLength(1);
  });

  it('instance A killed (SIGKILL) mid-run: instance B ends the run interrupted with its partial text and accepts a new run', async () => {
    using dir = scratchDir();
    await using model = await startModelServer({ script: CUT_OFF_SCRIPT });
    await using apps = await startTwoInstances({
      dir: dir.path,
      databaseUrl: cluster.url,
      modelBaseUrl: model.baseUrl,
    });
    const { urlB } = apps;
    const { sessionId, runId } = await cutOffRunOnA(apps);
    // A dead holder on this host is taken over at once; on another host, after the lease (30 s).
    const started = Date.now();
    // Loading the session on B ends the cut-off run; its events reach the shared log right after.
    let view: Awaited<ReturnType<typeof api>> | undefined;
    await expect
      .poll(
        async () => {
          view = await api(urlB, `/api/sessions/${sessionId}`);
          return view.json.view?.run as unknown;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toMatchObject({ runId, status: 'finished', stopReason: 'interrupted' });
    expect(Date.now() - started).toBeLessThan(30_000);
    const texts = (view!.json.view.items as Array<{ kind: string; role?: string; text?: string }>)
      .filter((item) => item.kind === 'message')
      .map(({ role, text }) => ({ role, text }));
    expect(texts).toEqual([
      { role: 'user', text: 'long one' },
      { role: 'assistant', text: CUT_OFF_TEXT },
    ]);
    const next = await api(urlB, `/api/sessions/${sessionId}/runs`, { body: { input: 'again' } });
    expect(next.status).toBe(202);
    const after = await readEventsUntil(urlB, sessionId, {
      until: runEnded(next.json.runId as string),
    });
    expect(after.map((event) => event.seq)).toEqual(after.map((_, index) => index + 1));
    expect(streamedText(after.filter((event) => event.runId === next.json.runId))).toBe(
      'Back on B.',
    );
  });
});

/** Whether a recorded model request is agent-core's session-title call (its own instructions). */
function isTitleCall(body: unknown): boolean {
  const messages = (body as { messages?: { role: string; content: unknown }[] }).messages ?? [];
  const system = messages.find((message) => message.role === 'system');
  return JSON.stringify(system?.content ?? '').includes('You name conversations');
}
