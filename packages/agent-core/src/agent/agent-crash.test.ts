import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { AnyEvent } from '@switchboard/events';
import { SqliteEventLog } from '@switchboard/events/node';
import { startModelServer } from '@switchboard/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../sessions/session-snapshot.js';

const child = new URL('../test-helpers/crash-child.ts', import.meta.url).pathname;
const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KILLS = 20;
const words = (prefix: string) => Array.from({ length: 30 }, (_, index) => `${prefix}${index} `);

type Line = {
  ready?: true;
  loaded?: { sessionId: string; status: string; transcript: TranscriptEntry[] };
  marker?: 'delta' | 'tool';
  finished?: string;
  error?: string;
};

/** Starts an agent process; it loads its modules while the previous one still runs. */
function startChild(config: object) {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const errors: string[] = [];
  const next = async (): Promise<Line | undefined> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) return undefined;
      const line = JSON.parse(value) as Line;
      if (line.error) errors.push(line.error);
      else return line;
    }
  };
  const until = async (test: (line: Line) => boolean) => {
    for (;;) {
      const line = await next();
      if (!line || test(line)) return line;
    }
  };
  return { proc, next, until, exited, errors };
}

const textOf = (entry: TranscriptEntry) =>
  (entry.message.content as Array<{ type: string; text?: string }>)
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');

describe('crash loop: SIGKILL at random points over a SQLite store and event log', () => {
  it(`T10 loses no user text nor durable output, ends every run once, keeps seq contiguous (${KILLS} kills)`, async () => {
    let calls = 0;
    await using server = await startModelServer({
      // After a tool result the model answers; otherwise it talks, then calls the tool.
      script: (request) => {
        calls += 1;
        const messages = (request.body as { messages: Array<{ role: string }> }).messages;
        return messages.at(-1)?.role === 'tool'
          ? { text: words(`answer${calls}-`), delayMs: 10 }
          : {
              text: words(`thinking${calls}-`),
              delayMs: 10,
              toolCalls: [{ id: `call${calls}`, name: 'work', args: {} }],
            };
      },
    });
    const config = {
      db: path.join(dir, 'sessions.db'),
      events: path.join(dir, 'events.db'),
      baseUrl: server.baseUrl,
    };
    const sent: string[] = [];
    const errors: string[] = [];
    let sessionId: string | undefined;
    let transcript: TranscriptEntry[] = [];
    // Processes load their modules two rounds ahead, while earlier ones run.
    let spawned = 0;
    const spawnNext = () => (spawned++ <= KILLS ? [startChild(config)] : []);
    const upcoming = [...spawnNext(), ...spawnNext()];
    try {
      for (let round = 0; round <= KILLS; round++) {
        const agent = upcoming.shift()!;
        upcoming.push(...spawnNext());
        expect(await agent.next()).toEqual({ ready: true });
        const message = `user message ${round}`;
        agent.proc.stdin.write(`${JSON.stringify({ sessionId, message })}\n`);
        const { loaded } = (await agent.next())!;
        sessionId = loaded!.sessionId;
        transcript = loaded!.transcript;
        expect(loaded!.status).toBe('idle');
        checkRecovered(loaded!.transcript, sent, readLog(config.events, sessionId));
        sent.push(message);
        if (round === KILLS) {
          expect(await agent.until((line) => line.finished !== undefined)).toEqual({
            finished: 'completed',
          });
          await agent.exited;
        } else {
          // Even rounds die while the model streams, odd ones while the tool runs.
          const marker = round % 2 === 0 ? 'delta' : 'tool';
          await agent.until((line) => line.marker === marker);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 250));
          agent.proc.kill('SIGKILL');
          await agent.exited;
        }
        errors.push(...agent.errors);
      }
    } finally {
      for (const idle of upcoming) idle.proc.kill('SIGKILL');
    }
    expect(errors).toEqual([]);
    // Runs killed mid-stream left their partial answers, marked interrupted.
    const interrupted = transcript.filter((entry) => entry.display.status === 'interrupted');
    expect(interrupted.length).toBeGreaterThanOrEqual(KILLS / 4);
    const events = readLog(config.events, sessionId!);
    expect(terminalsPerRun(events).every(([, count]) => count === 1)).toBe(true);
    expect(terminalsPerRun(events)).toHaveLength(KILLS + 1);
  }, 240_000);
});

function readLog(file: string, sessionId: string): AnyEvent[] {
  const log = new SqliteEventLog({ path: file });
  try {
    return log.read(sessionId, 0, 1_000_000);
  } finally {
    log.close();
  }
}

/** For each run that started: how many terminal events (run.finished / run.failed) it has. */
function terminalsPerRun(events: readonly AnyEvent[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const event of events) {
    if (!event.runId || event.parentRunId) continue;
    if (event.type === 'run.started') counts.set(event.runId, counts.get(event.runId) ?? 0);
    if (event.type === 'run.finished' || event.type === 'run.failed')
      counts.set(event.runId, (counts.get(event.runId) ?? 0) + 1);
  }
  return [...counts];
}

/** What must hold each time a new process has loaded the session after a kill. */
function checkRecovered(
  transcript: readonly TranscriptEntry[],
  sent: readonly string[],
  events: readonly AnyEvent[],
): void {
  // Every user text is in the transcript, in order.
  const userTexts = transcript
    .filter((entry) => entry.message.role === 'user')
    .map((entry) => textOf(entry));
  expect(userTexts).toEqual(sent);
  // seq is contiguous from 1.
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  // Every run before this process opened the session has ended exactly once (the dead one as
  // interrupted, by this process); the run this process just started is still going.
  const opened = events.findLast((event) => event.type === 'session.started')!.seq;
  const earlier = terminalsPerRun(events.filter((event) => event.seq < opened));
  const ended = terminalsPerRun(events).filter(([runId]) => earlier.some(([id]) => id === runId));
  expect(ended).toEqual(earlier.map(([runId]) => [runId, 1]));
  // Everything the model streamed that reached the log is in the transcript, word for word.
  const streamed = new Map<string, string>();
  for (const event of events) {
    if (event.type !== 'message.delta') continue;
    const data = event.data as { messageId: string; delta: string };
    streamed.set(data.messageId, (streamed.get(data.messageId) ?? '') + data.delta);
  }
  const byId = new Map(transcript.map((entry) => [entry.id, entry]));
  // (A partial checkpoint may hold a few deltas the log never got: the kill can land between
  // the two writes. Nothing the log has may be missing.)
  for (const [messageId, text] of streamed) {
    const kept = byId.get(messageId);
    expect({ messageId, kept: kept && textOf(kept).startsWith(text) }).toEqual({
      messageId,
      kept: true,
    });
  }
  const last = events.filter((event) => event.type === 'run.finished').at(-1);
  if (sent.length > 0) expect(last?.data).toMatchObject({ stopReason: 'interrupted' });
}
