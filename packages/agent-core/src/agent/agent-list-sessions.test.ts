import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { collect } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-list-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('agent.listSessions', () => {
  it('lists the store’s sessions with title, model, counts, cost and status, newest first', async () => {
    let clock = 1_000;
    const store = new SqliteSessionStore({ path: path.join(dir, 'sessions.db') });
    await using t = await startTestAgent(
      (request) => {
        const system = JSON.stringify(
          (request.body as { messages: Array<{ content: unknown }> }).messages[0]?.content,
        );
        return system.includes('You name conversations')
          ? { text: 'Weekend in Rome', usage: { inputTokens: 100, outputTokens: 4 } }
          : { text: 'Sure.', usage: { inputTokens: 1000, outputTokens: 10 } };
      },
      {
        titles: {},
        now: () => (clock += 10),
        store,
        prices: { 'openai-compatible:test-model': { inputPerMTok: 1, outputPerMTok: 10 } },
      },
    );
    const generated = await t.agent.createSession();
    await collect(generated.run('Plan a weekend in Rome'));
    await generated.idle();
    const named = await t.agent.createSession({ title: '  Budget\n2027 ' });
    const empty = await t.agent.createSession();

    const page = await t.agent.listSessions();
    expect(page.nextCursor).toBeUndefined();
    expect(page.sessions.map((row) => row.sessionId)).toEqual([empty.id, named.id, generated.id]);
    const model = page.sessions[0]!.model;
    expect(model).toMatch(/:test-model$/);
    expect(page.sessions[2]).toEqual({
      sessionId: generated.id,
      agentName: 'tester',
      title: 'Weekend in Rome',
      titleSource: 'model',
      model,
      createdAt: expect.any(Number) as number,
      updatedAt: expect.any(Number) as number,
      messageCount: 2,
      costUsd: generated.usage.costUsd,
      status: 'idle',
    });
    // The title call's cost is the session's too: (1000 + 100) input, (10 + 4) output tokens.
    expect(page.sessions[2]!.costUsd).toBeCloseTo((1100 * 1 + 14 * 10) / 1e6, 12);
    expect(page.sessions[1]).toMatchObject({ title: 'Budget 2027', titleSource: 'user' });
    expect(page.sessions[0]).not.toHaveProperty('title');

    const first = await t.agent.listSessions({ limit: 2 });
    expect(first.sessions.map((row) => row.sessionId)).toEqual([empty.id, named.id]);
    const second = await t.agent.listSessions({ limit: 2, cursor: first.nextCursor });
    expect(second).toEqual({ sessions: [expect.objectContaining({ sessionId: generated.id })] });
    expect(
      (await t.agent.listSessions({ q: 'ROME' })).sessions.map((row) => row.sessionId),
    ).toEqual([generated.id]);

    // A rename is not activity: the session keeps its place.
    await generated.setTitle('Rome, renamed');
    const renamed = await t.agent.listSessions();
    expect(renamed.sessions.map((row) => [row.sessionId, row.title])).toEqual([
      [empty.id, undefined],
      [named.id, 'Budget 2027'],
      [generated.id, 'Rome, renamed'],
    ]);
    expect(renamed.sessions[2]!.updatedAt).toBe(page.sessions[2]!.updatedAt);

    await generated.close();
    expect((await t.agent.listSessions({ q: 'rome' })).sessions[0]).toMatchObject({
      status: 'closed',
    });
    await named.close();
    await empty.close();
    await store.close();
  });
});
