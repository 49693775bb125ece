import { createServer } from 'node:net';
import { startModelServer } from '@switchboard/testkit';
import type { AnyEvent } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { collect, dataOf } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { createAgent } from './agent.js';
import { resolveModel } from '../models/resolve-model.js';

/** `type:attempt` (and `>next` for retries) of a run's generation events, in order. */
const attempts = (events: readonly AnyEvent[]) =>
  events
    .filter((event) => event.type.startsWith('generation.'))
    .map((event) => {
      const data = event.data as { attempt?: number; nextAttempt?: number };
      return `${event.type}:${data.attempt ?? ''}${data.nextAttempt ? `>${data.nextAttempt}` : ''}`;
    });

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('visible retries', () => {
  it('announces every retry with its delay and starts each attempt with its number', async () => {
    await using t = await startTestAgent(
      [
        { error: { status: 429, retryAfterMs: 60, body: { error: { message: 'Slow down' } } } },
        { error: { status: 503 } },
        { text: 'third time' },
      ],
      { retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 200 } },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('hi'));
    expect(result.text).toBe('third time');
    expect(attempts(events)).toEqual([
      'generation.started:1',
      'generation.retrying:1>2',
      'generation.started:2',
      'generation.retrying:2>3',
      'generation.started:3',
      'generation.finished:',
    ]);
    // Every attempt reached the server and has its own generation.started.
    expect(events.filter((event) => event.type === 'generation.started')).toHaveLength(
      t.server.requests.length,
    );
    const ids = new Set(
      events
        .filter((event) => event.type.startsWith('generation.'))
        .map((event) => (event.data as { generationId: string }).generationId),
    );
    expect(ids.size).toBe(1);
    const retries = events.filter((event) => event.type === 'generation.retrying');
    expect(retries[0]!.data).toMatchObject({
      delayMs: 60,
      provider: expect.stringContaining('openai-compatible') as string,
      model: 'test-model',
      error: {
        code: 'CORE_PROVIDER_RATE_LIMIT',
        status: 429,
        retryable: true,
        hint: expect.stringContaining('fallback model') as string,
      },
    });
    expect(retries[1]!.data).toMatchObject({
      error: { code: 'CORE_PROVIDER_UNAVAILABLE', status: 503 },
    });
    // The wait is announced before it happens.
    const retryIndex = events.indexOf(retries[0]!);
    expect(events[retryIndex + 1]!.ts - retries[0]!.ts).toBeGreaterThanOrEqual(55);
  });

  it('counts attempts across a fallback and names the model it falls back to', async () => {
    const backup = await startModelServer({ script: [{ text: 'from backup' }] });
    try {
      await using t = await startTestAgent(() => ({ error: { status: 500 } }), {
        retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
        fallbackModels: [
          resolveModel('openai-compatible:backup-model', {
            env: { SWITCHBOARD_BASE_URL: backup.baseUrl },
          }),
        ],
      });
      const session = await t.agent.createSession();
      const { events } = await collect(session.run('hi'));
      expect(attempts(events)).toEqual([
        'generation.started:1',
        'generation.retrying:1>2',
        'generation.started:2',
        'generation.retrying:2>3',
        'generation.started:3',
        'generation.finished:',
      ]);
      const fallback = events.filter((event) => event.type === 'generation.retrying')[1]!;
      expect(fallback.data).toMatchObject({
        delayMs: 0,
        fallbackTo: expect.stringContaining('backup-model') as string,
      });
      expect(
        events.filter((event) => event.type === 'generation.started').at(-1)!.data,
      ).toMatchObject({ attempt: 3, model: 'backup-model' });
    } finally {
      await backup.close();
    }
  });
});

describe('errors for people', () => {
  it('ends the message with the hint and carries hint and status on run.failed and generation.finished', async () => {
    await using t = await startTestAgent([
      { error: { status: 401, body: { error: { message: 'Incorrect API key provided' } } } },
    ]);
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('hi'));
    const hint = result.error!.hint!;
    expect(hint).toMatch(/API key/);
    expect(result.error!.message.endsWith(hint)).toBe(true);
    for (const type of ['run.failed', 'generation.finished']) {
      const { error } = dataOf<{ error: { message: string; hint: string; status: number } }>(
        events,
        type,
      );
      expect(error).toMatchObject({ hint, status: 401, code: 'CORE_PROVIDER_AUTH' });
      expect(error.message.endsWith(hint)).toBe(true);
    }
  });

  it.each([
    ['a closed loopback port', async () => `http://127.0.0.1:${await closedPort()}/v1`],
    ['an unresolvable host', () => Promise.resolve('http://switchboard-test.invalid/v1')],
  ])('classifies %s as CORE_PROVIDER_NO_RESPONSE, retried, with a hint', async (_, url) => {
    const agent = createAgent({
      name: 'offline',
      model: 'openai-compatible:test-model',
      env: { SWITCHBOARD_BASE_URL: await url() },
      retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
    });
    try {
      const session = await agent.createSession();
      const { events, result } = await collect(session.run('hi'));
      expect(result.error).toMatchObject({
        code: 'CORE_PROVIDER_NO_RESPONSE',
        hint: expect.stringContaining('base URL') as string,
      });
      expect(attempts(events)).toEqual([
        'generation.started:1',
        'generation.retrying:1>2',
        'generation.started:2',
        'generation.finished:',
      ]);
      expect(dataOf(events, 'run.failed')).toMatchObject({
        error: { code: 'CORE_PROVIDER_NO_RESPONSE', retryable: true },
      });
    } finally {
      await agent.close();
    }
  });
});
