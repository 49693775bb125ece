import { connectEventStream, type AnyEvent } from '@switchboard/events';
import { startModelServer, startPostgresCluster, type PostgresCluster } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventsUntil, runEnded, streamedText } from './test-helpers/read-events.js';
import { CUT_OFF_SCRIPT, CUT_OFF_TEXT, cutOffRunOnA } from './test-helpers/cut-off-run.js';
import { startTwoInstances } from './test-helpers/two-instances.js';
import { api, FIXTURE_ENTRY, scratchDir } from './test-helpers/web-app-process.js';

// Two built web apps (real processes) sharing one real PostgreSQL server: a
// session is not pinned to an instance. The one that used it last gives its
// lease up once no run of it is going, so the next request may go anywhere.
let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

async function startRun(url: string, sessionId: string, input: string): Promise<string> {
  const run = await api(url, `/api/sessions/${sessionId}/runs`, { body: { input } });
  expect(run.status, JSON.stringify(run.json)).toBe(202);
  return run.json.runId as string;
}

type Item = { kind: string; role?: string; text?: string };
const messages = (view: { items: Item[] }) =>
  view.items.filter((item) => item.kind === 'message').map(({ role, text }) => ({ role, text }));

describe('sessions move between instances (idle release)', { timeout: 180_000 }, () => {
  it('runs alternate between instances A and B: each POST gets 202, one transcript, seq gap-free', async () => {
    using dir = scratchDir();
    await using model = await startModelServer({
      script: [
        { text: ['First ', 'from A.'] },
        { text: 'A title' }, // the session title, generated on A after the first exchange
        { text: ['Second ', 'from B.'] },
        { text: ['Third ', 'from A.'] },
      ],
    });
    await using apps = await startTwoInstances({
      dir: dir.path,
      databaseUrl: cluster.url,
      modelBaseUrl: model.baseUrl,
    });
    const { urlA, urlB } = apps;
    const created = await api(urlA, '/api/sessions', { body: {} });
    const sessionId = created.json.id as string;

    const first = await startRun(urlA, sessionId, 'one');
    await readEventsUntil(urlA, sessionId, { until: runEnded(first) });
    // Right after the end: A is finishing (title, checkpoint) and gives the lease up; B waits for it.
    const second = await startRun(urlB, sessionId, 'two');
    await readEventsUntil(urlB, sessionId, { until: runEnded(second) });
    // A's cached handle is stale now: it is loaded fresh from the store and the log head.
    const third = await startRun(urlA, sessionId, 'three');
    const all = await readEventsUntil(urlB, sessionId, { until: runEnded(third) });

    expect(all.map((event) => event.seq)).toEqual(all.map((_, index) => index + 1));
    const ends = all.filter((event) => event.type === 'run.finished');
    expect(
      ends.map((event) => [event.runId, (event.data as { stopReason: string }).stopReason]),
    ).toEqual([
      [first, 'completed'],
      [second, 'completed'],
      [third, 'completed'],
    ]);
    expect(all.filter((event) => event.type === 'session.ended')).toEqual([]);
    const expected = [
      { role: 'user', text: 'one' },
      { role: 'assistant', text: 'First from A.' },
      { role: 'user', text: 'two' },
      { role: 'assistant', text: 'Second from B.' },
      { role: 'user', text: 'three' },
      { role: 'assistant', text: 'Third from A.' },
    ];
    const [viewA, viewB] = await Promise.all([
      api(urlA, `/api/sessions/${sessionId}`),
      api(urlB, `/api/sessions/${sessionId}`),
    ]);
    expect([viewA.status, viewB.status]).toEqual([200, 200]);
    expect(messages(viewA.json.view)).toEqual(expected);
    expect(messages(viewB.json.view)).toEqual(expected);
  });

  it('an approval asked on instance A is answered on instance B, which resumes the run', async () => {
    using dir = scratchDir();
    await using model = await startModelServer({
      script: [
        { toolCalls: [{ id: 'call_1', name: 'deploy', args: { target: 'prod' } }] },
        // Either the title call or the resumed run takes each of these.
        { text: 'Deployed to prod.' },
        { text: 'Deployed to prod.' },
      ],
    });
    await using apps = await startTwoInstances({
      dir: dir.path,
      databaseUrl: cluster.url,
      modelBaseUrl: model.baseUrl,
      entry: FIXTURE_ENTRY,
    });
    const { b, urlA, urlB } = apps;
    const sessionId = (await api(urlA, '/api/sessions', { body: {} })).json.id as string;
    const runId = await startRun(urlA, sessionId, 'Deploy it');
    const paused = await readEventsUntil(urlA, sessionId, { until: runEnded(runId) });
    expect(paused.at(-1)).toMatchObject({ data: { stopReason: 'awaiting_input' } });
    const requested = paused.find((event) => event.type === 'tool_call.approval_requested');
    const approvalId = (requested!.data as { approvalId: string }).approvalId;

    const answer = await api(urlB, `/api/sessions/${sessionId}/requests/${approvalId}`, {
      body: { approved: true },
    });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const resumed = answer.json.resumedRunId as string;
    const events = await readEventsUntil(urlA, sessionId, { until: runEnded(resumed) });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)).toMatchObject({
      type: 'run.finished',
      data: { stopReason: 'completed' },
    });
    const result = events.find(
      (event) => event.type === 'tool_call.completed' && event.runId === resumed,
    );
    // The tool ran on B, the instance the answer went to.
    expect(JSON.stringify(result?.data)).toContain(`deployed to prod by process ${b.child.pid}`);
    expect(streamedText(events.filter((event) => event.runId === resumed))).toBe(
      'Deployed to prod.',
    );
  });

  it('instance A on another host SIGKILLed mid-run: B ends the run interrupted after the lease (SWITCHBOARD_LEASE_MS), not before', async () => {
    using dir = scratchDir();
    const leaseMs = 6000;
    await using model = await startModelServer({ script: CUT_OFF_SCRIPT });
    // A runs under another host name (a UTS namespace): B cannot see whether A's process
    // lives, as with an instance on another machine, and must wait for the lease to run out.
    await using apps = await startTwoInstances({
      dir: dir.path,
      databaseUrl: cluster.url,
      modelBaseUrl: model.baseUrl,
      env: { SWITCHBOARD_LEASE_MS: String(leaseMs) },
      wrapperA: [
        'unshare',
        '-Uru',
        'sh',
        '-c',
        'hostname switchboard-other-host && exec "$@"',
        'sh',
      ],
    });
    const { urlB } = apps;
    const { sessionId, runId } = await cutOffRunOnA(apps);
    const killedAt = Date.now();

    // The lease is A's for up to leaseMs more: B refuses the session meanwhile.
    const early = await api(urlB, `/api/sessions/${sessionId}`);
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('CORE_SESSION_LOCKED');
    let view: Awaited<ReturnType<typeof api>> | undefined;
    await expect
      .poll(
        async () => {
          view = await api(urlB, `/api/sessions/${sessionId}`);
          return view.json.view?.run as unknown;
        },
        { timeout: leaseMs + 30_000, interval: 250 },
      )
      .toMatchObject({ runId, status: 'finished', stopReason: 'interrupted' });
    const tookMs = Date.now() - killedAt;
    // A renewed its lease every leaseMs / 3 while it ran: at least ~2/3 of it was left at the kill.
    expect(tookMs).toBeGreaterThan(leaseMs / 3);
    // The documented bound (the lease), with a generous margin for a loaded machine.
    expect(tookMs).toBeLessThan(leaseMs + 15_000);
    expect(messages(view!.json.view)).toEqual([
      { role: 'user', text: 'long one' },
      { role: 'assistant', text: CUT_OFF_TEXT },
    ]);
    const next = await startRun(urlB, sessionId, 'again');
    const after = await readEventsUntil(urlB, sessionId, { until: runEnded(next) });
    expect(after.map((event) => event.seq)).toEqual(after.map((_, index) => index + 1));
    expect(streamedText(after.filter((event) => event.runId === next))).toBe('Back on B.');
  });

  it('PostgreSQL restarted while a run on B streams to a client on A: both recover, the client gets every event once', async () => {
    using dir = scratchDir();
    const chunks = Array.from({ length: 30 }, (_, index) => `w${index} `);
    await using model = await startModelServer({
      script: [{ text: chunks, delayMs: 150 }, { text: 'A title' }, { text: 'After the restart.' }],
    });
    await using apps = await startTwoInstances({
      dir: dir.path,
      databaseUrl: cluster.url,
      modelBaseUrl: model.baseUrl,
    });
    const { urlA, urlB } = apps;
    const sessionId = (await api(urlB, '/api/sessions', { body: {} })).json.id as string;

    // The client on A: the real SSE client, reconnecting (Last-Event-ID) as often as it takes.
    const received: AnyEvent[] = [];
    const started: { runId?: string } = {};
    let sawDelta: () => void = () => {};
    const firstDelta = new Promise<void>((resolve) => (sawDelta = resolve));
    const reading = (async () => {
      for await (const event of connectEventStream(`${urlA}/api/sessions/${sessionId}/events`, {
        signal: AbortSignal.timeout(150_000),
        retryMs: 200,
        maxRetryMs: 2000,
      })) {
        received.push(event);
        if (event.type === 'message.delta') sawDelta();
        if (started.runId !== undefined && runEnded(started.runId)(event)) return;
      }
    })();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const runId = await startRun(urlB, sessionId, 'stream a while');
    started.runId = runId;
    await firstDelta;
    await cluster.restart();
    await reading;

    // Exactly once, in order, nothing acknowledged lost: what A's client got is the stored log.
    expect(received.map((event) => event.seq)).toEqual(received.map((_, index) => index + 1));
    expect(streamedText(received)).toBe(chunks.join(''));
    expect(received.at(-1)).toMatchObject({
      type: 'run.finished',
      data: { stopReason: 'completed' },
    });
    const replay = await readEventsUntil(urlB, sessionId, { until: runEnded(runId) });
    const key = (event: AnyEvent) => `${event.seq} ${event.type} ${event.ts}`;
    expect(replay.map(key)).toEqual(received.map(key));

    // Both instances serve again: health, and a new run on A (the session moves to it).
    for (const url of [urlA, urlB]) expect((await api(url, '/api/health')).status).toBe(200);
    const next = await startRun(urlA, sessionId, 'and now');
    const after = await readEventsUntil(urlA, sessionId, {
      after: received.at(-1)!.seq,
      until: runEnded(next),
    });
    expect(after[0]!.seq).toBe(received.at(-1)!.seq + 1);
    expect(after.at(-1)).toMatchObject({ type: 'run.finished', data: { stopReason: 'completed' } });
  });
});
