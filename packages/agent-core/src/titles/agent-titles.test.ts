import {
  startModelServer,
  type RecordedRequest,
  type ScriptedTurn as Turn,
} from '@switchboard/testkit';
import type { AnyEvent } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { collect, recordBus, waitFor } from '../test-helpers/run-helpers.js';
import { resolveModel } from '../models/resolve-model.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { DEFAULT_TITLE_PROMPT } from './generate-title.js';

/** The system prompt a request was sent with. */
const systemOf = (request: RecordedRequest): string => {
  const messages = (request.body as { messages: Array<{ role: string; content: unknown }> })
    .messages;
  const system = messages.find((message) => message.role === 'system')?.content;
  return typeof system === 'string' ? system : JSON.stringify(system ?? '');
};
const isTitleRequest = (request: RecordedRequest) =>
  systemOf(request).startsWith(DEFAULT_TITLE_PROMPT.slice(0, 20));

/** Answers turns with `answer` and title calls with `title`. */
const script =
  (title: Turn, answer: Turn = { text: 'Day 1: the Forum. Day 2: the Vatican.' }) =>
  (request: RecordedRequest): Turn =>
    isTitleRequest(request) ? title : answer;

const ofType = (events: readonly AnyEvent[], type: string) =>
  events.filter((event) => event.type === type);
const titleCalls = (events: readonly AnyEvent[]) =>
  events.filter(
    (event) =>
      event.type.startsWith('generation.') &&
      (event.data as { purpose?: string }).purpose === 'title',
  );

describe('session titles', () => {
  it('names the session after the first exchange: one call without tools, after run.finished, counted in the session', async () => {
    await using t = await startTestAgent(
      script({
        text: '"**Three days in Rome.**"\nA plan for a short trip.',
        usage: { inputTokens: 60, outputTokens: 8 },
      }),
      {
        titles: {},
        prices: { 'openai-compatible:test-model': { inputPerMTok: 1, outputPerMTok: 2 } },
      },
    );
    const all = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    const first = await collect(session.run('Plan three days in Rome in May'));
    // The run's own stream and result know nothing of the title call.
    expect(titleCalls(first.events)).toEqual([]);
    expect(first.events.at(-1)?.type).toBe('run.finished');
    await session.idle();
    expect(session.title).toBe('Three days in Rome');
    expect(session.titleSource).toBe('model');

    const titleRequests = t.server.requests.filter(isTitleRequest);
    expect(titleRequests).toHaveLength(1);
    const body = titleRequests[0]!.body as { tools?: unknown; messages: unknown[] };
    expect(body.tools).toBeUndefined();
    expect(JSON.stringify(body.messages)).toContain('Plan three days in Rome in May');

    const ended = all.findIndex(
      (event) => event.type === 'run.finished' && event.runId === first.result.runId,
    );
    const after = all
      .slice(ended + 1)
      .map((event) => [event.type, event.runId?.split('_')[0], event.parentRunId]);
    expect(after).toEqual([
      ['generation.started', 'ttl', first.result.runId],
      ['generation.finished', 'ttl', first.result.runId],
      ['usage.updated', 'ttl', first.result.runId],
      ['session.title_updated', undefined, undefined],
    ]);
    expect(all.some((e) => e.type.startsWith('run.') && e.runId === all[ended + 1]!.runId)).toBe(
      false,
    );
    expect(ofType(all, 'session.title_updated')[0]!.data).toEqual({
      title: 'Three days in Rome',
      source: 'model',
    });
    // Honest accounting: in the session's totals (every generation), not in the run's.
    const generations = ofType(all, 'generation.finished').map(
      (event) => event.data as { usage: { inputTokens: number }; cost?: { amount: number } },
    );
    expect(session.usage.apiCalls).toBe(2);
    expect(session.usage.usage.inputTokens).toBe(
      generations.reduce((sum, data) => sum + data.usage.inputTokens, 0),
    );
    expect(first.result.usage.inputTokens).toBe(generations[0]!.usage.inputTokens);
    expect(session.usage.costUsd).toBeCloseTo(
      generations.reduce((sum, data) => sum + (data.cost?.amount ?? 0), 0),
      12,
    );
    expect(first.result.costUsd).toBeCloseTo(generations[0]!.cost!.amount, 12);

    // Titled once: later exchanges make no title call.
    await collect(session.run('And in June?'));
    await session.idle();
    expect(t.server.requests.filter(isTitleRequest)).toHaveLength(1);
    // Saved with the snapshot, and announced again when the session is loaded.
    await session.close();
    const restored = await t.agent.loadSession(session.id);
    expect(restored.title).toBe('Three days in Rome');
    expect(ofType(all, 'session.started').at(-1)?.data).toMatchObject({
      restored: true,
      title: 'Three days in Rome',
      titleSource: 'model',
    });
    await restored.close();
  });

  it.each([
    ['the server answers with an error', { error: { status: 500 } }],
    ['the model answers with nothing usable', { text: '""' }],
  ])('falls back to the first words of the message when %s', async (_case, title) => {
    const errors: Error[] = [];
    await using t = await startTestAgent(script(title), {
      titles: {},
      onError: (error) => errors.push(error),
    });
    const all = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    await collect(session.run('  Plan three   days in Rome in May, please'));
    await session.idle();
    expect(session.title).toBe('Plan three days in Rome in…');
    expect(session.titleSource).toBe('fallback');
    expect(ofType(all, 'session.title_updated').map((event) => event.data)).toEqual([
      { title: 'Plan three days in Rome in…', source: 'fallback' },
    ]);
    // One attempt: a title is not worth retries (the agent's retry policy allows 2).
    expect(t.server.requests.filter(isTitleRequest)).toHaveLength(1);
    expect(titleCalls(all).map((event) => event.type)).toEqual([
      'generation.started',
      'generation.finished',
    ]);
    if ('error' in title) {
      expect(titleCalls(all)[1]!.data).toMatchObject({
        finishReason: 'error',
        error: { code: 'CORE_PROVIDER_UNAVAILABLE' },
      });
    }
    // Handled by the fallback: nothing for onError.
    expect(errors).toEqual([]);
    expect(session.usage.apiCalls).toBe(2);
  });

  it('lets a user title win over a late model title (the call is cancelled)', async () => {
    // The title call streams one chunk, then stalls until it is aborted.
    await using t = await startTestAgent(
      script({ text: ['Late ', 'title'], stallAfterChunks: 1 }),
      {
        titles: {},
      },
    );
    const all = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    await collect(session.run('Plan three days in Rome'));
    await waitFor(() => t.server.requests.some(isTitleRequest));
    await session.setTitle('  Rome,\n in May ');
    await session.idle();
    expect(session.title).toBe('Rome, in May');
    expect(session.titleSource).toBe('user');
    expect(ofType(all, 'session.title_updated').map((event) => event.data)).toEqual([
      { title: 'Rome, in May', source: 'user' },
    ]);
    expect(titleCalls(all).at(-1)?.data).toMatchObject({ finishReason: 'cancelled' });
    // The cancelled call still counts (the provider saw it), so the totals match the generations.
    expect(session.usage.apiCalls).toBe(ofType(all, 'generation.finished').length);
    // A titled session is not named again.
    await collect(session.run('Thanks'));
    await session.idle();
    expect(t.server.requests.filter(isTitleRequest)).toHaveLength(1);
    expect(session.title).toBe('Rome, in May');
  });

  it('never holds up the run or the next one, and close() aborts it cleanly', async () => {
    // The title call stalls before sending anything.
    await using t = await startTestAgent(
      (request, callIndex) =>
        isTitleRequest(request)
          ? { text: 'never', stallAfterChunks: 0 }
          : { text: `answer ${callIndex}` },
      { titles: {} },
    );
    const all = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    await collect(session.run('first'));
    await waitFor(() => t.server.requests.some(isTitleRequest));
    // The next run starts and ends while the title call hangs.
    const second = await collect(session.run('second'));
    expect(second.result).toMatchObject({ stopReason: 'completed', text: 'answer 2' });
    await session.close();
    const types = all.map((event) => event.type);
    const titleEnd = all.indexOf(titleCalls(all).at(-1)!);
    expect(all[titleEnd]).toMatchObject({
      type: 'generation.finished',
      data: { finishReason: 'cancelled' },
    });
    expect(titleEnd).toBeLessThan(types.indexOf('session.ended'));
    expect(types).not.toContain('session.title_updated');
    expect(types.at(-1)).toBe('session.ended');
    expect(session.usage.apiCalls).toBe(ofType(all, 'generation.finished').length);
    expect((await t.agent.loadSession(session.id)).title).toBeUndefined();
  });

  it('reset() aborts a title being generated; the next completed exchange names the session', async () => {
    await using t = await startTestAgent(
      (request, callIndex) =>
        isTitleRequest(request) && callIndex === 1
          ? { text: 'never', stallAfterChunks: 0 }
          : isTitleRequest(request)
            ? { text: 'Rome trip' }
            : { text: `answer ${callIndex}` },
      { titles: {} },
    );
    const session = await t.agent.createSession();
    await collect(session.run('first'));
    await waitFor(() => t.server.requests.some(isTitleRequest));
    await session.reset();
    expect(session.title).toBeUndefined();
    await collect(session.run('Plan a trip to Rome'));
    await session.idle();
    expect(session.title).toBe('Rome trip');
    // A title outlives reset(): the session keeps its name.
    await session.reset();
    expect(session.title).toBe('Rome trip');
    await session.close();
  });

  it('makes no title call when titles are off, or for a run that did not complete', async () => {
    await using off = await startTestAgent(script({ text: 'A title' }), {
      titles: { enabled: false },
    });
    const quiet = await off.agent.createSession();
    await collect(quiet.run('hello'));
    await quiet.idle();
    expect(quiet.title).toBeUndefined();
    expect(off.server.requests.filter(isTitleRequest)).toHaveLength(0);
    await quiet.close();

    await using failing = await startTestAgent(
      (request, callIndex) =>
        isTitleRequest(request)
          ? { text: 'Second try' }
          : callIndex === 0
            ? { error: { status: 401 } }
            : { text: 'Hello.' },
      { titles: {} },
    );
    const session = await failing.agent.createSession();
    expect((await collect(session.run('hello'))).result.stopReason).toBe('failed');
    await session.idle();
    expect(failing.server.requests.filter(isTitleRequest)).toHaveLength(0);
    await collect(session.run('hello again'));
    await session.idle();
    expect(session.title).toBe('Second try');
    await session.close();
  });

  it('uses titles.model, titles.prompt and titles.maxChars', async () => {
    const titleServer = await startModelServer({
      script: [{ text: 'A rather long title about planning a trip to Rome in May' }],
    });
    try {
      await using t = await startTestAgent([{ text: 'Sure.' }], {
        titles: {
          model: resolveModel('openai-compatible:tiny', {
            openaiCompatible: { baseURL: titleServer.baseUrl },
          }),
          prompt: 'Name it.',
          maxChars: 24,
        },
      });
      const all = recordBus(t.agent.bus);
      const session = await t.agent.createSession();
      await collect(session.run('Rome?'));
      await session.idle();
      expect(session.title).toBe('A rather long title');
      expect(titleServer.requests).toHaveLength(1);
      expect(systemOf(titleServer.requests[0]!)).toBe('Name it.');
      expect(titleCalls(all)[0]!.data).toMatchObject({ model: 'tiny', purpose: 'title' });
      await session.close();
    } finally {
      await titleServer.close();
    }
  });

  it('setTitle validates, saves and emits; refused once closed', async () => {
    await using t = await startTestAgent([], { titles: {} });
    const all = recordBus(t.agent.bus);
    const session = await t.agent.createSession();
    await expect(session.setTitle('   ')).rejects.toMatchObject({ code: 'CORE_INVALID_INPUT' });
    await expect(session.setTitle('x'.repeat(201))).rejects.toMatchObject({
      code: 'CORE_INVALID_INPUT',
    });
    expect(ofType(all, 'session.title_updated')).toEqual([]);
    await session.setTitle('Budget 2027');
    expect(ofType(all, 'session.title_updated').map((event) => [event.runId, event.data])).toEqual([
      [undefined, { title: 'Budget 2027', source: 'user' }],
    ]);
    expect(session.snapshot()).toMatchObject({ title: 'Budget 2027', titleSource: 'user' });
    await session.close();
    await expect(session.setTitle('Too late')).rejects.toMatchObject({
      code: 'CORE_SESSION_CLOSED',
    });
    const loaded = await t.agent.loadSession(session.id);
    expect(loaded.title).toBe('Budget 2027');
    expect(loaded.titleSource).toBe('user');
    await loaded.close();
  });

  it('createSession({ title }) names the session from the start: no title call', async () => {
    await using t = await startTestAgent(script({ text: 'Generated' }), { titles: {} });
    const all = recordBus(t.agent.bus);
    await expect(t.agent.createSession({ title: ' ' })).rejects.toMatchObject({
      code: 'CORE_INVALID_INPUT',
    });
    const session = await t.agent.createSession({ title: 'Budget\n 2027' });
    expect(ofType(all, 'session.started').at(-1)?.data).toMatchObject({
      title: 'Budget 2027',
      titleSource: 'user',
    });
    await collect(session.run('Plan the budget'));
    await session.idle();
    expect(session.title).toBe('Budget 2027');
    expect(t.server.requests.filter(isTitleRequest)).toHaveLength(0);
    await session.close();
  });
});
