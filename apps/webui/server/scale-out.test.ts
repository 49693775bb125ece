import path from 'node:path';
import type { AnyEvent } from '@switchboard/events';
import { startModelServer, startPostgresCluster, type PostgresCluster } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventsUntil, runEnded, streamedText } from './test-helpers/read-events.js';
import { api, scratchDir, spawnWebApp } from './test-helpers/web-app-process.js';

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

function appEnv(home: string, baseUrl: string): Record<string, string> {
  return {
    SWITCHBOARD_HOME: home,
    PORT: '0',
    SWITCHBOARD_MODEL: 'openai-compatible:test-model',
    SWITCHBOARD_BASE_URL: baseUrl,
    SWITCHBOARD_DATABASE_URL: cluster.url,
  };
}

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
    await using a = spawnWebApp({
      cwd: dir.path,
      env: appEnv(path.join(dir.path, 'a'), model.baseUrl),
    });
    await using b = spawnWebApp({
      cwd: dir.path,
      env: appEnv(path.join(dir.path, 'b'), model.baseUrl),
    });
    const [urlA, urlB] = await Promise.all([a.listening(), b.listening()]);
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
    await using a = spawnWebApp({
      cwd: dir.path,
      env: appEnv(path.join(dir.path, 'a'), model.baseUrl),
    });
    await using b = spawnWebApp({
      cwd: dir.path,
      env: appEnv(path.join(dir.path, 'b'), model.baseUrl),
    });
    const [urlA, urlB] = await Promise.all([a.listening(), b.listening()]);
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
    expect(model.requests).toHaveLength(1);
  });
});
