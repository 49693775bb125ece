import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../bus/event-bus.js';
import type { EventsError } from '../../errors/events-error.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import { SqliteEventLog } from '../sqlite/sqlite-event-log.js';
import { JsonlSink } from './jsonl-sink.js';
import { readJsonlEventArray } from './read-jsonl.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'jsonl-backfill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => path.join(root, `case-${++counter}`);

const event = (sessionId: string, seq: number): AnyEvent => ({
  v: 1,
  type: 'message.delta',
  seq,
  ts: 1000 + seq,
  sessionId,
  runId: 'r',
  data: { messageId: 'm', delta: `${sessionId}${seq}` },
});
const range = (sessionId: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => event(sessionId, from + i));
const draft = (sessionId: string) => ({
  type: 'message.delta' as const,
  sessionId,
  runId: 'r',
  data: { messageId: 'm', delta: 'next' },
});
const positions = (events: AnyEvent[]) => events.map((e) => `${e.sessionId}${e.seq}`);

/** The state a kill -9 leaves: the log committed more than the sink's buffer wrote. */
async function crashedState(fileEvents: AnyEvent[], logEvents: AnyEvent[]) {
  const dir = freshDir();
  const file = path.join(dir, 'events.jsonl');
  const log = new SqliteEventLog({ path: path.join(root, `log-${counter}.db`) });
  log.append(logEvents);
  const sink = await JsonlSink.open(file);
  for (const e of fileEvents) await sink.write(e);
  await sink.close();
  return { file, log };
}

describe('JsonlSink beside a durable log', () => {
  it('without backfillFrom, a restart behind the log reports the gap (never silently)', async () => {
    const { file, log } = await crashedState(range('s', 1, 6), range('s', 1, 10));
    const errors: EventsError[] = [];
    const sink = await JsonlSink.open(file, { onError: (e) => errors.push(e) });
    const bus = new EventBus({ log, onError: (e) => errors.push(e) });
    bus.registry.register('s', sink);
    bus.emit(draft('s'));
    await bus.flush();
    await sink.close();
    log.close();
    expect(errors.map((e) => [e.code, e.details])).toEqual([
      ['EVENTS_JSONL_GAP', { file, sessionId: 's', from: 7, to: 10, reason: 'no-log' }],
    ]);
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 11]);
  });

  it('with backfillFrom, open brings the file up to the log and the bus continues without a gap', async () => {
    const { file, log } = await crashedState(range('s', 1, 6), range('s', 1, 10));
    const errors: EventsError[] = [];
    const sink = await JsonlSink.open(file, { backfillFrom: log, onError: (e) => errors.push(e) });
    expect(sink.head.seq).toBe(10);
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual(
      range('s', 1, 10).map((e) => e.seq),
    );
    const bus = new EventBus({ log, onError: (e) => errors.push(e) });
    bus.registry.register('s', sink);
    bus.emit(draft('s'));
    await bus.flush();
    await sink.close();
    expect(await readJsonlEventArray(file)).toEqual([...log.read('s')]);
    log.close();
    expect(errors).toEqual([]);
  });

  it('a series shared by sessions: the last line’s session is filled on open, the others on their next event', async () => {
    const fileEvents = [...range('a', 1, 3), ...range('b', 1, 2)];
    const logEvents = [...range('a', 1, 5), ...range('b', 1, 4), ...range('c', 1, 2)];
    const { file, log } = await crashedState(fileEvents, logEvents);
    const errors: EventsError[] = [];
    const sink = await JsonlSink.open(file, { backfillFrom: log, onError: (e) => errors.push(e) });
    expect(positions(await readJsonlEventArray(file))).toEqual([
      'a1',
      'a2',
      'a3',
      'b1',
      'b2',
      'b3',
      'b4',
    ]);
    const bus = new EventBus({ log, sinks: [sink], onError: (e) => errors.push(e) });
    bus.emit(draft('a'));
    bus.emit(draft('c')); // c never reached the file: it is written from its start
    bus.emit(draft('b'));
    await bus.flush();
    await sink.close();
    log.close();
    expect(positions(await readJsonlEventArray(file))).toEqual([
      ...['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'b4'],
      ...['a4', 'a5', 'a6'],
      ...['c1', 'c2', 'c3'],
      'b5',
    ]);
    expect(errors).toEqual([]);
  });

  it('refuses an event at or below a session’s last seq in the file (a restart that forgot its head)', async () => {
    const { file, log } = await crashedState(range('s', 1, 3), []);
    log.close();
    const errors: EventsError[] = [];
    const sink = await JsonlSink.open(file);
    const bus = new EventBus({ sinks: [sink], onError: (e) => errors.push(e) });
    bus.emit(draft('s')); // a fresh bus without restoreSession: seq 1 again
    await bus.flush();
    await sink.close();
    expect(errors.map((e) => [e.code, e.details])).toEqual([
      ['EVENTS_SEQ_CONFLICT', { sessionId: 's', seq: 1, lastSeq: 3 }],
    ]);
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('refuses an event of another session when the file is ahead of the log (found by scanning)', async () => {
    const fileEvents = [...range('a', 1, 3), ...range('b', 1, 1)];
    const { file, log } = await crashedState(fileEvents, [
      ...range('a', 1, 2),
      ...range('b', 1, 1),
    ]);
    const errors: EventsError[] = [];
    const sink = await JsonlSink.open(file, { backfillFrom: log, onError: (e) => errors.push(e) });
    const bus = new EventBus({ log, sinks: [sink], onError: (e) => errors.push(e) });
    bus.emit(draft('a')); // the log says a3 is next; the file already has an a3
    bus.emit(draft('a'));
    await bus.flush();
    await sink.close();
    log.close();
    expect(errors.map((e) => [e.code, e.details])).toEqual([
      ['EVENTS_SEQ_CONFLICT', { sessionId: 'a', seq: 3, lastSeq: 3 }],
    ]);
    expect(positions(await readJsonlEventArray(file))).toEqual(['a1', 'a2', 'a3', 'b1', 'a4']);
  });
});
