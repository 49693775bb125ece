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

describe('sessions across real processes (SQLite store)', () => {
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

  it('a process killed mid-tool loses nothing: the next process continues the conversation', async () => {
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
});
