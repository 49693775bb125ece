import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { collect, dataOf } from '../test-helpers/run-helpers.js';
import { startTestAgent } from '../test-helpers/test-agent.js';
import { defineTool } from '../tools/define-tool.js';
import { startModelServer } from '@switchboard/testkit';
import { createAgent } from './agent.js';
import { resolveModel } from '../models/resolve-model.js';

const echo = defineTool({
  description: 'echo',
  inputSchema: z.object({ s: z.string() }),
  execute: ({ s }) => s,
});

describe('budgets and loop safety', () => {
  it('stops at maxTurns with loop.budget_exhausted and max_steps', async () => {
    await using t = await startTestAgent(
      () => ({
        toolCalls: [{ id: `c${Math.random()}`, name: 'echo', args: { s: String(Math.random()) } }],
      }),
      {
        tools: { echo },
        maxTurns: 3,
      },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('loop forever'));
    expect(result.stopReason).toBe('max_steps');
    expect(t.server.requests).toHaveLength(3);
    expect(dataOf(events, 'loop.budget_exhausted')).toEqual({ maxSteps: 3 });
  });

  it('detects the same call repeated: nudges once, then stops with loop.stuck', async () => {
    let n = 0;
    await using t = await startTestAgent(
      () => ({ toolCalls: [{ id: `c${++n}`, name: 'echo', args: { s: 'same' } }] }),
      { tools: { echo } },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('go'));
    expect(result.stopReason).toBe('stuck');
    const stuck = events
      .filter((event) => event.type === 'loop.stuck')
      .map((event) => event.data as { action: string; reason: string });
    expect(stuck.map((s) => s.action)).toEqual(['nudge', 'stop']);
    expect(stuck[0]!.reason).toBe('repeated_tool_call');
    expect(dataOf(events, 'feedback.injected')).toMatchObject({ kind: 'loop_nudge' });
    expect(n).toBe(6); // 3 repeats, nudge, 3 more repeats
    const afterNudge = t.server.requests[3]!.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(JSON.stringify(afterNudge.messages.at(-1))).toContain('same arguments');
  });

  it('detects no progress (every call failing, arguments varying): nudges, then stops', async () => {
    let n = 0;
    await using t = await startTestAgent(
      () => ({ toolCalls: [{ id: `c${++n}`, name: 'missing_tool', args: { attempt: n } }] }),
      { stuck: { repeats: 3, failedSteps: 2, maxNudges: 1 } },
    );
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('go'));
    expect(result.stopReason).toBe('stuck');
    const stuck = events
      .filter((event) => event.type === 'loop.stuck')
      .map((event) => event.data as { action: string; reason: string });
    expect(stuck.map((s) => [s.action, s.reason])).toEqual([
      ['nudge', 'no_progress'],
      ['stop', 'no_progress'],
    ]);
    expect(n).toBe(4); // 2 failing steps, nudge, 2 more
  });

  it('times out a hanging tool and tells the model', async () => {
    const hang = defineTool({
      description: 'hang',
      inputSchema: z.object({}),
      timeoutMs: 50,
      execute: () => new Promise(() => {}),
    });
    await using t = await startTestAgent(
      [{ toolCalls: [{ id: 'c1', name: 'hang', args: {} }] }, { text: 'gave up' }],
      { tools: { hang } },
    );
    const session = await t.agent.createSession();
    const { events } = await collect(session.run('go'));
    expect(dataOf(events, 'tool_call.completed')).toMatchObject({
      status: 'failed',
      error: { code: 'CORE_TOOL_TIMEOUT' },
    });
  });
});

describe('provider failures', () => {
  it('retries a 429, honouring retry-after, and succeeds', async () => {
    await using t = await startTestAgent([
      { error: { status: 429, retryAfterMs: 60 } },
      { text: 'after retry' },
    ]);
    const session = await t.agent.createSession();
    const started = Date.now();
    const { result } = await collect(session.run('hi'));
    expect(result.text).toBe('after retry');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(t.server.requests).toHaveLength(2);
  });

  it('falls back to the next model when the first keeps failing', async () => {
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
      const { result, events } = await collect(session.run('hi'));
      expect(result.text).toBe('from backup');
      expect(dataOf(events, 'notice')).toMatchObject({ code: 'CORE_MODEL_FALLBACK' });
      expect(dataOf(events, 'generation.finished')).toMatchObject({ model: 'backup-model' });
    } finally {
      await backup.close();
    }
  });

  // The idle timeout is real time, so it is kept far above any pause a loaded
  // machine puts between two chunks of a healthy stream (with 150 ms, a process
  // descheduled that long saw its timer fire before the waiting chunk was read,
  // and the healthy third call failed too).
  const IDLE_MS = 1_000;

  it('retries a call that stalls or drops before any content', async () => {
    await using t = await startTestAgent(
      [
        { text: 'never sent', stallAfterChunks: 0 },
        { text: 'x', dropAfterChunks: 1 },
        { text: 'third time lucky' },
      ],
      { modelIdleTimeoutMs: IDLE_MS, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 } },
    );
    const session = await t.agent.createSession();
    const { result } = await collect(session.run('hi'));
    expect(result.text).toBe('third time lucky');
    expect(t.server.requests).toHaveLength(3);
  });

  it('fails a step that stalls after content, keeping what streamed (CORE_PROVIDER_NO_RESPONSE)', async () => {
    await using t = await startTestAgent(
      [{ text: ['Once ', 'upon ', 'a time'], stallAfterChunks: 3 }],
      { modelIdleTimeoutMs: IDLE_MS },
    );
    const session = await t.agent.createSession();
    const started = Date.now();
    const { result, events } = await collect(session.run('tell me'));
    // The configured timeout ended the stall, not the 120 s default (a generous bound).
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result).toMatchObject({
      stopReason: 'failed',
      error: { code: 'CORE_PROVIDER_NO_RESPONSE' },
    });
    expect(dataOf(events, 'message.completed')).toMatchObject({
      text: 'Once upon ',
      status: 'failed',
    });
    const assistant = session.transcript.find((entry) => entry.display.status === 'partial')!;
    expect(assistant.message).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'Once upon ' }],
    });
  });

  it('fails a step whose connection drops mid-stream, keeping what streamed', async () => {
    await using t = await startTestAgent([
      { text: ['Half ', 'an ', 'answer'], dropAfterChunks: 2 },
    ]);
    const session = await t.agent.createSession();
    const { result } = await collect(session.run('tell me'));
    expect(result).toMatchObject({ stopReason: 'failed', text: 'Half ' });
    expect(result.error?.code).toBe('CORE_PROVIDER_NO_RESPONSE');
  });

  it('fails the run with a classified, redacted error and keeps the transcript', async () => {
    await using t = await startTestAgent([
      {
        error: {
          status: 401,
          body: {
            error: {
              message: 'Incorrect API key provided: sk-live-abc123',
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          },
        },
      },
    ]);
    const session = await t.agent.createSession();
    const { events, result } = await collect(session.run('hi'));
    expect(result.stopReason).toBe('failed');
    expect(result.error?.code).toBe('CORE_PROVIDER_AUTH');
    const failed = dataOf<{ error: { code: string; message: string } }>(events, 'run.failed');
    expect(failed.error.code).toBe('CORE_PROVIDER_AUTH');
    expect(JSON.stringify(events)).not.toContain('sk-live-abc123');
    // What the user typed survives; the error is shown but never sent to a provider again.
    expect(session.transcript.map((entry) => [entry.message.role, entry.display.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'error'],
    ]);
  });

  it('refuses to start without a model, with a stable code and hint', () => {
    expect(() => createAgent({ name: 'x' })).toThrow(
      expect.objectContaining({ code: 'CORE_NO_MODEL' }),
    );
    expect(() => createAgent({ model: 'openai:gpt-x', env: {} })).toThrow(
      expect.objectContaining({ code: 'CORE_MISSING_API_KEY' }),
    );
  });

  it('rejects a second run while one is active, and empty input', async () => {
    await using t = await startTestAgent([{ text: ['a', 'b'], delayMs: 20 }]);
    const session = await t.agent.createSession();
    expect(() => session.run('   ')).toThrow(expect.objectContaining({ code: 'CORE_EMPTY_INPUT' }));
    const run = session.run('first');
    expect(() => session.run('second')).toThrow(
      expect.objectContaining({ code: 'CORE_SESSION_BUSY' }),
    );
    await run.result;
  });
});
