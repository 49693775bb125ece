import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturePath, loadFixture } from '@switchboard/events/fixtures';
import { startLangfuseReceiver } from '@switchboard/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { metadataOf } from '../test-helpers/tracing-harness.js';
import { replayEventLog } from './replay-event-log.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function replay(source: Parameters<typeof replayEventLog>[0]) {
  const receiver = await startLangfuseReceiver();
  const result = await replayEventLog(source, {
    publicKey: 'pk-lf-test',
    secretKey: 'sk-lf-test',
    baseUrl: receiver.baseUrl,
    env: {},
  });
  const spans = receiver.spans();
  await receiver.close();
  return { result, spans, byName: (name: string) => spans.find((span) => span.name === name)! };
}

describe('replayEventLog on the golden corpus', () => {
  it('plain chat: one trace with the recorded times', async () => {
    const { result, spans, byName } = await replay(fixturePath('plain-chat'));
    const events = loadFixture('plain-chat');
    expect(result).toEqual({ events: events.length, sessions: 1, turns: 1 });
    const root = spans.find((span) => span.attributes['langfuse.observation.type'] === 'agent')!;
    const started = events.find((event) => event.type === 'run.started')!;
    const finished = events.find((event) => event.type === 'run.finished')!;
    expect([root.startTime, root.endTime]).toEqual([started.ts, finished.ts]);
    expect(byName('assistant response').attributes['langfuse.observation.output']).toBe(
      root.attributes['langfuse.observation.output'],
    );
  });

  it('multi-tool: parallel tools by id, the failed one ERROR, generations with usage', async () => {
    const { spans } = await replay(fixturePath('multi-tool'));
    const tools = spans.filter((span) => span.name === 'tool: weather');
    expect(tools).toHaveLength(2);
    const byId = Object.fromEntries(tools.map((span) => [metadataOf(span).toolCallId, span]));
    expect(byId.call_01!.attributes['langfuse.observation.input']).toBe('{"city":"Paris"}');
    expect(byId.call_01!.attributes['langfuse.observation.level']).toBeUndefined();
    expect(byId.call_02!.attributes).toMatchObject({
      'langfuse.observation.input': '{"city":"Rome"}',
      'langfuse.observation.level': 'ERROR',
      'langfuse.observation.status_message': 'Weather service timed out',
    });
    const generations = spans.filter(
      (span) => span.attributes['langfuse.observation.type'] === 'generation',
    );
    expect(generations).toHaveLength(2);
    for (const generation of generations) {
      expect(generation.attributes['langfuse.observation.usage_details']).toBeTruthy();
    }
  });

  it('cancelled: the turn ends WARNING and the cut tool call is kept', async () => {
    const { spans } = await replay(fixturePath('cancelled'));
    const root = spans.find((span) => span.attributes['langfuse.observation.type'] === 'agent')!;
    expect(root.attributes).toMatchObject({
      'langfuse.observation.level': 'WARNING',
      'langfuse.observation.status_message': 'cancelled',
    });
    expect(
      spans.find((span) => span.name === 'tool: read_file')!.attributes[
        'langfuse.observation.level'
      ],
    ).toBe('WARNING');
  });

  it('approval: the paused turn and the resumed one; the approved call traced in the second', async () => {
    const { spans, result } = await replay(fixturePath('approval'));
    expect(result.turns).toBe(2);
    const roots = spans.filter((span) => span.attributes['langfuse.observation.type'] === 'agent');
    expect(roots.map((span) => span.name)).toEqual(['ops — Turn 1', 'ops — Turn 2']);
    expect(roots[0]!.attributes['langfuse.observation.status_message']).toContain(
      'waiting for approval',
    );
    const tool = spans.find((span) => span.name === 'tool: remove')!;
    expect(tool.traceId).toBe(roots[1]!.traceId);
    expect(tool.attributes).toMatchObject({
      'langfuse.observation.input': '{"path":"/tmp/cache"}',
      'langfuse.observation.output': 'removed /tmp/cache',
    });
  });

  it('accepts any iterable of events, and fails loudly on an unreadable log or missing keys', async () => {
    const { result } = await replay(loadFixture('plain-chat'));
    expect(result.turns).toBe(1);
    const broken = path.join(dir, 'broken.jsonl');
    writeFileSync(broken, '{"v":1,"type":"run.started"\nnot json at all\n{"v":1}\n');
    await expect(
      replayEventLog(broken, {
        publicKey: 'pk',
        secretKey: 'sk',
        baseUrl: 'http://127.0.0.1:9',
        env: {},
      }),
    ).rejects.toMatchObject({ code: 'TRACING_REPLAY_FAILED' });
    await expect(
      replayEventLog(path.join(dir, 'missing.jsonl'), {
        publicKey: 'pk',
        secretKey: 'sk',
        baseUrl: 'http://127.0.0.1:9',
        env: {},
      }),
    ).rejects.toMatchObject({
      code: 'TRACING_REPLAY_FAILED',
      message: expect.stringContaining('no such event log') as string,
    });
    await expect(replayEventLog(fixturePath('plain-chat'), { env: {} })).rejects.toMatchObject({
      code: 'TRACING_NO_CREDENTIALS',
    });
  });

  it('provider-retry: each retry a WARNING event with its wait; one generation spans the attempts', async () => {
    const { spans } = await replay(fixturePath('provider-retry'));
    const events = loadFixture('provider-retry');
    const retries = spans.filter((span) => span.name.startsWith('retry:'));
    expect(retries.map((span) => span.name)).toEqual([
      'retry: gpt-test attempt 1 → 2',
      'retry: gpt-test attempt 2 → 3',
      'retry: gpt-test attempt 1 → 2',
    ]);
    expect(retries[0]!.attributes).toMatchObject({
      'langfuse.observation.type': 'event',
      'langfuse.observation.level': 'WARNING',
    });
    expect(retries[0]!.attributes['langfuse.observation.status_message']).toMatch(
      /429.*configure a fallback model\.$/,
    );
    expect(metadataOf(retries[0]!)).toMatchObject({ delayMs: 20000, status: 429 });
    expect(metadataOf(retries[1]!)).toMatchObject({ fallbackTo: 'anthropic:claude-test' });
    const generations = spans.filter(
      (span) => span.attributes['langfuse.observation.type'] === 'generation',
    );
    expect(generations).toHaveLength(2);
    const firstAttempt = events.find((event) => event.type === 'generation.started')!;
    expect(generations[0]!.startTime).toBe(firstAttempt.ts);
    expect(metadataOf(generations[0]!)).toMatchObject({ attempts: 3 });
    // The failed call's status message ends with the fix.
    expect(generations[1]!.attributes['langfuse.observation.status_message']).toMatch(
      /Check the base URL and the network, and that the server is running\.$/,
    );
  });

  it('delegation: the compaction summary is a generation of its own, named for its purpose', async () => {
    const { spans } = await replay(fixturePath('delegation'));
    const generations = spans.filter(
      (span) => span.attributes['langfuse.observation.type'] === 'generation',
    );
    expect(generations).toHaveLength(5);
    const summary = generations.find((span) => span.name.endsWith('(compaction)'))!;
    expect(metadataOf(summary)).toMatchObject({ purpose: 'compaction' });
    expect(summary.attributes['langfuse.observation.usage_details']).toBeTruthy();
  });
});
