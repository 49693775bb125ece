import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startModelServer } from '@switchboard/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { MISSING_TOOL_RESULT } from '../sessions/transcript.js';

const child = new URL('../test-helpers/session-child.ts', import.meta.url).pathname;
const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the child process; `lines` yields its stdout lines as they come. */
function startChild(config: object) {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const next = async () => JSON.parse((await lines.next()).value as string) as unknown;
  return { proc, next, exited };
}

// Child processes start slowly on a loaded machine: generous, not tight, time limits.
describe('sessions across real processes (SQLite store)', { timeout: 90_000 }, () => {
  it('an approval requested in one process is answered and resumed in another', async () => {
    await using server = await startModelServer({
      script: [
        { toolCalls: [{ id: 'c1', name: 'remove', args: { path: '/tmp/a' } }] },
        { text: 'Deleted /tmp/a.' },
      ],
    });
    const db = path.join(dir, 'approval.db');
    const first = startChild({ mode: 'pause', db, baseUrl: server.baseUrl });
    const paused = (await first.next()) as { sessionId: string; requestId: string; stop: string };
    expect(paused.stop).toBe('awaiting_input');
    expect(await first.exited).toBe(0);

    const second = startChild({
      mode: 'resume',
      db,
      baseUrl: server.baseUrl,
      sessionId: paused.sessionId,
    });
    const resumed = (await second.next()) as { before: string; stop: string; text: string };
    expect(resumed).toMatchObject({
      before: 'awaiting_input',
      stop: 'completed',
      text: 'Deleted /tmp/a.',
    });
    expect(await second.exited).toBe(0);
    expect(JSON.stringify(server.requests[1]!.body)).toContain('removed /tmp/a');
  });

  it('T10 a process killed mid-tool loses nothing: the next process continues the conversation', async () => {
    await using server = await startModelServer({
      script: [
        { text: 'Working on it.', toolCalls: [{ id: 'c9', name: 'slow', args: {} }] },
        { text: 'Yes, the last call was interrupted.' },
      ],
    });
    const db = path.join(dir, 'crash.db');
    const doomed = startChild({ mode: 'hang', db, baseUrl: server.baseUrl });
    const { sessionId } = (await doomed.next()) as { sessionId: string };
    expect(await doomed.next()).toBe('tool-started');
    doomed.proc.kill('SIGKILL');
    await doomed.exited;

    const next = startChild({ mode: 'continue', db, baseUrl: server.baseUrl, sessionId });
    const continued = (await next.next()) as {
      before: string;
      stop: string;
      transcript: Array<{ message: { role: string; content: unknown } }>;
    };
    expect(await next.exited).toBe(0);
    // A run that was in flight when its process died is over; the session is usable.
    expect(continued.before).toBe('idle');
    expect(continued.stop).toBe('completed');
    const roles = continued.transcript.map((entry) => entry.message.role);
    expect(roles.slice(0, 2)).toEqual(['user', 'assistant']);
    expect(JSON.stringify(continued.transcript)).toContain('please do the thing');
    expect(JSON.stringify(continued.transcript)).toContain('Working on it.');
    // The provider got a valid prompt: the interrupted call is closed with a result.
    const sent = JSON.stringify(server.requests[1]!.body);
    expect(sent).toContain('please do the thing');
    expect(sent).toContain('"c9"');
    expect(sent).toContain(MISSING_TOOL_RESULT);
  });

  it('T10 a process killed while the model streams: the next process ends the run as interrupted and keeps the streamed text', async () => {
    const answer = Array.from({ length: 120 }, (_, index) => `word${index} `);
    await using server = await startModelServer({
      script: [{ text: answer, delayMs: 40 }, { text: 'Yes, I was cut off.' }],
    });
    const db = path.join(dir, 'stream.db');
    const doomed = startChild({ mode: 'stream', db, baseUrl: server.baseUrl });
    let sessionId = '';
    let lastSeq = 0;
    let streaming = () => {};
    const streamingStarted = new Promise<void>((resolve) => (streaming = resolve));
    const drained = (async () => {
      for (;;) {
        const line = (await doomed.next().catch(() => undefined)) as
          { seq?: number; type?: string; sessionId?: string } | undefined;
        if (!line) return;
        if (line.sessionId) sessionId = line.sessionId;
        lastSeq = Math.max(lastSeq, line.seq ?? 0);
        if (line.type === 'message.delta') streaming();
      }
    })();
    await streamingStarted;
    // Long enough for a partial checkpoint (at least one a second while streaming).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    doomed.proc.kill('SIGKILL');
    await doomed.exited;
    await drained;

    const next = startChild({ mode: 'continue', db, baseUrl: server.baseUrl, sessionId });
    const continued = (await next.next()) as {
      before: string;
      stop: string;
      transcript: Array<{
        runId?: string;
        message: { role: string; content: Array<{ text?: string }> };
        display: { status: string };
      }>;
      events: Array<{ type: string; seq: number; runId?: string; data: Record<string, unknown> }>;
    };
    expect(await next.exited).toBe(0);
    expect(continued).toMatchObject({ before: 'idle', stop: 'completed' });
    // The dead run ends exactly once, as interrupted, before anything else runs.
    const deadRunId = continued.transcript[0]!.runId;
    const ends = continued.events.filter(
      (event) => event.runId === deadRunId && event.type.startsWith('run.'),
    );
    expect(ends).toEqual([
      expect.objectContaining({
        type: 'run.finished',
        data: expect.objectContaining({ stopReason: 'interrupted' }),
      }),
    ]);
    expect(continued.events.map((event) => event.type).slice(0, 3)).toEqual([
      'session.started',
      'message.completed',
      'run.finished',
    ]);
    expect(continued.events[0]!.data).toMatchObject({ restored: true });
    // The streamed text is kept, marked interrupted, and the model saw it.
    const partial = continued.transcript[1]!;
    expect(partial.display.status).toBe('interrupted');
    const text = partial.message.content.map((part) => part.text ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    expect(answer.join('').startsWith(text)).toBe(true);
    expect(continued.events[1]!.data).toMatchObject({ status: 'interrupted', text });
    expect(JSON.stringify(server.requests[1]!.body)).toContain(text.trim());
    // No event of the new process reuses a number the dead one used.
    expect(Math.min(...continued.events.map((event) => event.seq))).toBeGreaterThan(lastSeq);
  });
});
