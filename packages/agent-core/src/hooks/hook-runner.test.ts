import { describe, expect, it } from 'vitest';
import { HookRunner } from './hook-runner.js';

const ids = { sessionId: 's', runId: 'r', turn: 1 };

describe('HookRunner', () => {
  it('runs handlers in registration order and returns their results', async () => {
    const calls: string[] = [];
    const runner = new HookRunner({
      timeoutMs: 1000,
      onFailure: () => {},
      hooks: { pre_tool_call: [() => void calls.push('a'), () => ({ block: 'no' })] },
    });
    runner.on('pre_tool_call', () => {
      calls.push('c');
      return Promise.resolve(undefined);
    });
    const results = await runner.run('pre_tool_call', {
      ...ids,
      stepIndex: 0,
      toolName: 't',
      args: {},
      toolCallId: 'c1',
    });
    expect(calls).toEqual(['a', 'c']);
    expect(results).toEqual([undefined, { block: 'no' }, undefined]);
    expect(runner.has('pre_tool_call')).toBe(true);
    expect(runner.has('post_tool_call')).toBe(false);
  });

  it('isolates a throwing, rejecting or hanging handler and reports it', async () => {
    const failures: Array<{ hook: string; timedOut: boolean; message: string }> = [];
    const runner = new HookRunner({
      timeoutMs: 30,
      onFailure: ({ hook, error, timedOut }) =>
        failures.push({ hook, timedOut, message: (error as Error).message }),
    });
    let ran = false;
    runner.on('on_session_reset', () => {
      throw new Error('sync bug');
    });
    runner.on('on_session_reset', () => Promise.reject(new Error('async bug')));
    runner.on('on_session_reset', () => new Promise(() => {}));
    runner.on('on_session_reset', () => void (ran = true));
    const started = Date.now();
    await runner.run('on_session_reset', { sessionId: 's' });
    expect(Date.now() - started).toBeLessThan(10_000); // returns (the hang is timed out); generous under load
    expect(ran).toBe(true);
    expect(failures).toEqual([
      { hook: 'on_session_reset', timedOut: false, message: 'sync bug' },
      { hook: 'on_session_reset', timedOut: false, message: 'async bug' },
      {
        hook: 'on_session_reset',
        timedOut: true,
        message: 'hook on_session_reset timed out after 30 ms',
      },
    ]);
  });

  it('removes a handler with the returned function', async () => {
    let count = 0;
    const runner = new HookRunner({ timeoutMs: 100, onFailure: () => {} });
    const off = runner.on('on_session_finalize', () => void count++);
    await runner.run('on_session_finalize', { sessionId: 's' });
    off();
    await runner.run('on_session_finalize', { sessionId: 's' });
    expect(count).toBe(1);
  });
});
