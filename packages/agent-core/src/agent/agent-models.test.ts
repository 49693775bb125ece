import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordedRequest } from '@switchboard/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemorySessionStore } from '../sessions/memory-session-store.js';
import { toCheckpoint } from '../sessions/session-checkpoint.js';
import { SqliteSessionStore } from '../sessions/sqlite-session-store.js';
import { createEmptySnapshot } from '../sessions/transcript.js';
import { collect, dataOf, waitFor } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { defineTool } from '../tools/define-tool.js';
import { createAgent } from './agent.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const A = 'openai-compatible:model-a';
const B = 'openai-compatible:model-b';

/** The model id a request asked the server for. */
const modelOf = (request: RecordedRequest) => (request.body as { model: string }).model;

/** The server answers as the model the request names, so the text says which one ran. */
const answerAs = (request: RecordedRequest) => ({
  text: `I am ${modelOf(request)}.`,
  usage: { inputTokens: 1000, outputTokens: 100 },
});

const twoModels = { model: A, models: [B] };

describe('the models an agent offers', () => {
  it('lists the default first, then the models option, once each', async () => {
    await using t = await startTestAgent(answerAs, { model: A, models: [B, A, B] });
    expect(t.agent.models).toEqual([A, B]);
    expect(Object.isFrozen(t.agent.models)).toBe(true);
  });

  it('resolves every listed model when the agent is created', () => {
    expect(() =>
      createAgent({
        model: 'openai:gpt-4o-mini',
        models: ['nowhere:x'],
        env: { OPENAI_API_KEY: 'sk-test-12345678' },
      }),
    ).toThrow(expect.objectContaining({ code: 'CORE_UNKNOWN_PROVIDER' }));
    expect(() =>
      createAgent({
        model: 'openai:gpt-4o-mini',
        models: ['anthropic:claude-haiku-4-5'],
        env: { OPENAI_API_KEY: 'sk-test-12345678' },
      }),
    ).toThrow(expect.objectContaining({ code: 'CORE_MISSING_API_KEY' }));
  });
});

describe('per-session model', () => {
  it('createSession({ model }) runs on that model; other sessions keep the default', async () => {
    await using t = await startTestAgent(answerAs, twoModels);
    const onB = await t.agent.createSession({ model: B });
    const onDefault = await t.agent.createSession();
    expect([onB.model, onDefault.model]).toEqual([B, A]);
    expect([onB.snapshot().model, onDefault.snapshot().model]).toEqual([B, A]);
    const b = await collect(onB.run('who are you?'));
    const a = await collect(onDefault.run('who are you?'));
    expect([b.result.text, a.result.text]).toEqual(['I am model-b.', 'I am model-a.']);
    expect(dataOf(b.events, 'run.started')).toMatchObject({ model: B });
    expect(dataOf(a.events, 'run.started')).toMatchObject({ model: A });
    expect(t.server.requests.map(modelOf)).toEqual(['model-b', 'model-a']);
  });

  it("the session list shows each session's model", async () => {
    const store = new MemorySessionStore();
    await using t = await startTestAgent(answerAs, { ...twoModels, store });
    const first = await t.agent.createSession({ id: 'ses_1' });
    await t.agent.createSession({ id: 'ses_2', model: B });
    await first.setModel(B);
    await first.setModel(A);
    const rows = (await t.agent.listSessions()).sessions;
    expect(Object.fromEntries(rows.map((row) => [row.sessionId, row.model]))).toEqual({
      ses_1: A,
      ses_2: B,
    });
  });

  it('refuses a model the agent does not offer, before anything is stored', async () => {
    const store = new MemorySessionStore();
    await using t = await startTestAgent(answerAs, { ...twoModels, store });
    await expect(t.agent.createSession({ model: 'openai-compatible:model-c' })).rejects.toThrow(
      expect.objectContaining({
        code: 'CORE_MODEL_NOT_ALLOWED',
        details: expect.objectContaining({ models: [A, B] }),
      }),
    );
    expect((await store.list()).sessions).toEqual([]);
    const session = await t.agent.createSession();
    await expect(session.setModel('openai-compatible:model-c')).rejects.toThrow(
      expect.objectContaining({ code: 'CORE_MODEL_NOT_ALLOWED' }),
    );
    await expect(session.setModel(42 as unknown as string)).rejects.toThrow(
      expect.objectContaining({ code: 'CORE_INVALID_INPUT' }),
    );
    expect(session.model).toBe(A);
    await session.close();
    await expect(session.setModel(B)).rejects.toThrow(
      expect.objectContaining({ code: 'CORE_SESSION_CLOSED' }),
    );
  });

  it('setModel() during a run applies from the next run: the active run keeps its model', async () => {
    let release!: () => void;
    let running = false;
    const wait = defineTool({
      description: 'Waits',
      inputSchema: z.object({}),
      execute: () =>
        new Promise<string>((resolve) => {
          running = true;
          release = () => resolve('done');
        }),
    });
    await using t = await startTestAgent(
      (request, index) =>
        index === 0 ? { toolCalls: [{ id: 'w1', name: 'wait', args: {} }] } : answerAs(request),
      { ...twoModels, tools: { wait } },
    );
    const session = await t.agent.createSession();
    const first = session.run('wait, then say who you are');
    await waitFor(() => running);
    await session.setModel(B);
    expect(session.model).toBe(B);
    expect(session.snapshot().model).toBe(B);
    release();
    const firstRun = await collect(first);
    expect(firstRun.result.text).toBe('I am model-a.');
    const second = await collect(session.run('and now?'));
    expect(second.result.text).toBe('I am model-b.');
    expect(dataOf(second.events, 'run.started')).toMatchObject({ model: B });
    expect(t.server.requests.map(modelOf)).toEqual(['model-a', 'model-a', 'model-b']);
  });

  it('prices each call at the price of the model the session used', async () => {
    await using t = await startTestAgent(answerAs, {
      ...twoModels,
      prices: {
        'model-a': { inputPerMTok: 1, outputPerMTok: 2 },
        'model-b': { inputPerMTok: 10, outputPerMTok: 20 },
      },
    });
    const session = await t.agent.createSession();
    const a = await collect(session.run('hi'));
    await session.setModel(B);
    const b = await collect(session.run('hi'));
    // 1000 input and 100 output tokens each.
    expect(a.result.costUsd).toBeCloseTo(0.0012, 10);
    expect(b.result.costUsd).toBeCloseTo(0.012, 10);
    expect(dataOf(b.events, 'generation.finished')).toMatchObject({
      model: 'model-b',
      cost: { currency: 'USD' },
    });
    expect(session.usage.costUsd).toBeCloseTo(0.0132, 10);
  });

  it('loadSession() restores the stored model; a snapshot without one runs on the default', async () => {
    const file = path.join(dir, 'models.db');
    await using t = await startTestAgent(answerAs, {
      ...twoModels,
      store: new SqliteSessionStore({ path: file }),
    });
    const session = await t.agent.createSession({ id: 'ses_b' });
    await session.setModel(B);
    await session.idle();
    // A second process: its store's clock a minute ahead says the first one's lease expired.
    const store = new SqliteSessionStore({ path: file, now: () => Date.now() + 60_000 });
    try {
      // Written by a version without per-session models.
      const old = createEmptySnapshot({ sessionId: 'ses_old', agentName: 'tester', now: 1 });
      await store.save(toCheckpoint(old, { baseRevision: 0, owner: 'old-writer', from: 0 }));
      await store.releaseLease('ses_old', 'old-writer');
      const again = createAgent({
        name: 'tester',
        ...twoModels,
        env: { SWITCHBOARD_BASE_URL: t.server.baseUrl },
        store,
      });
      const restored = await again.loadSession('ses_b');
      expect(restored.model).toBe(B);
      expect((await collect(restored.run('hi'))).result.text).toBe('I am model-b.');
      const older = await again.loadSession('ses_old');
      expect(older.snapshot().model).toBeUndefined();
      expect(older.model).toBe(A);
      expect((await collect(older.run('hi'))).result.text).toBe('I am model-a.');
      await restored.close();
      await older.close();
      await again.close();
    } finally {
      await store.close();
    }
  });

  it('a stored model the agent no longer offers runs on the default, and stays stored', async () => {
    const store = new MemorySessionStore();
    await using t = await startTestAgent(answerAs, { ...twoModels, store });
    // Stored by an agent that offered model B.
    const stored = createEmptySnapshot({
      sessionId: 'ses_gone',
      agentName: 'tester',
      model: B,
      now: 1,
    });
    await store.save(toCheckpoint(stored, { baseRevision: 0, owner: 'before', from: 0 }));
    await store.releaseLease('ses_gone', 'before');
    const narrower = createAgent({
      name: 'tester',
      model: A,
      env: { SWITCHBOARD_BASE_URL: t.server.baseUrl },
      store,
    });
    const reopened = await narrower.loadSession('ses_gone');
    expect(reopened.model).toBe(A);
    expect(reopened.snapshot().model).toBe(B);
    const { events, result } = await collect(reopened.run('hi'));
    expect(result.text).toBe('I am model-a.');
    expect(dataOf(events, 'run.started')).toMatchObject({ model: A });
    await reopened.close();
    await narrower.close();
  });
});
