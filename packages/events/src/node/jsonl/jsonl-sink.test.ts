import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../bus/event-bus.js';
import type { EventsError } from '../../errors/events-error.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import { listJsonlFiles } from './jsonl-files.js';
import { JsonlSink } from './jsonl-sink.js';
import { readJsonlEventArray, readJsonlEvents } from './read-jsonl.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'jsonl-sink-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => path.join(root, `case-${++counter}`, 'events.jsonl');

const event = (seq: number, extra: Partial<AnyEvent> = {}): AnyEvent => ({
  v: 1,
  type: 'message.delta',
  seq,
  ts: 1000 + seq,
  sessionId: 's',
  runId: 'r',
  data: { messageId: 'm', delta: `chunk ${seq} ${'x'.repeat(40)}` },
  ...extra,
});

describe('JsonlSink', () => {
  it('appends one JSON line per event and reads them back after flush', async () => {
    const file = freshPath();
    const sink = await JsonlSink.open(file);
    for (let seq = 1; seq <= 5; seq++) await sink.write(event(seq));
    expect(readFileSync(file, 'utf8')).toBe(''); // buffered, not yet written
    await sink.flush();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[0]!)).toEqual(event(1));
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    await sink.close();
  });

  it('writes at once on a run boundary, and on its timer', async () => {
    const lines = (file: string) =>
      readFileSync(file, 'utf8').trimEnd().split('\n').filter(Boolean);
    /** Polls: under load an async write may take a while, but it must come without a flush(). */
    const until = async (predicate: () => boolean) => {
      for (const started = Date.now(); !predicate();) {
        if (Date.now() - started > 10_000) throw new Error('not written within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };
    // Timer far away: only the run boundary can write these.
    const boundaryFile = freshPath();
    const boundary = await JsonlSink.open(boundaryFile, { flushIntervalMs: 60_000 });
    await boundary.write(event(1));
    await boundary.write(
      event(2, { type: 'run.finished', data: { stopReason: 'completed', durationMs: 1 } }),
    );
    await until(() => lines(boundaryFile).length === 2);
    await boundary.close();
    // No boundary: only the timer can write this one.
    const timerFile = freshPath();
    const timed = await JsonlSink.open(timerFile, { flushIntervalMs: 20 });
    await timed.write(event(3));
    expect(lines(timerFile)).toHaveLength(0);
    await until(() => lines(timerFile).length === 1);
    await timed.close();
  });

  it('reopens in append mode (never truncates) and recovers the head', async () => {
    const file = freshPath();
    const first = await JsonlSink.open(file);
    for (let seq = 1; seq <= 3; seq++) await first.write(event(seq));
    await first.close();
    const second = await JsonlSink.open(file);
    expect(second.head).toEqual({ seq: 3, ts: 1003 });
    await second.write(event(4));
    await second.close();
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('rotates at maxFileBytes with seq contiguous across files, read back in order', async () => {
    const file = freshPath();
    const lineBytes = Buffer.byteLength(`${JSON.stringify(event(10))}\n`);
    const sink = await JsonlSink.open(file, {
      maxFileBytes: lineBytes * 3 + 10,
      bufferBytes: lineBytes * 2,
    });
    for (let seq = 1; seq <= 20; seq++) await sink.write(event(seq));
    await sink.close();
    const files = await listJsonlFiles(file);
    expect(files.map((f) => path.basename(f))).toEqual([
      'events.jsonl',
      'events-000001.jsonl',
      'events-000002.jsonl',
      'events-000003.jsonl',
      'events-000004.jsonl',
      'events-000005.jsonl',
      'events-000006.jsonl',
    ]);
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(lineBytes * 3 + 10);
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    // A cursor skips whole files and continues exactly after it.
    const after = [];
    for await (const e of readJsonlEvents(file, { afterSeq: 13 })) after.push(e.seq);
    expect(after).toEqual([14, 15, 16, 17, 18, 19, 20]);
    // Reopening continues in the last file with the right head.
    const again = await JsonlSink.open(file, { maxFileBytes: lineBytes * 3 + 10 });
    expect(again.head.seq).toBe(20);
    expect(path.basename(again.currentFile)).toBe('events-000006.jsonl');
    await again.close();
  });

  it('puts a line larger than maxFileBytes in a file of its own', async () => {
    const file = freshPath();
    const sink = await JsonlSink.open(file, { maxFileBytes: 200 });
    await sink.write(event(1));
    await sink.write(event(2, { data: { messageId: 'm', delta: 'y'.repeat(500) } }));
    await sink.write(event(3));
    await sink.close();
    expect(await listJsonlFiles(file)).toHaveLength(3);
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('after a crash: the reader skips a torn last line; reopening cuts it and appends cleanly', async () => {
    const file = freshPath();
    const sink = await JsonlSink.open(file);
    for (let seq = 1; seq <= 3; seq++) await sink.write(event(seq));
    await sink.close();
    appendFileSync(file, '{"v":1,"type":"message.delta","seq":4,"ts":10'); // died mid-line
    const torn: number[] = [];
    const events = await readJsonlEventArray(file, { onTornLine: ({ line }) => torn.push(line) });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(torn).toEqual([4]);
    const recovered: EventsError[] = [];
    const reopened = await JsonlSink.open(file, { onError: (error) => recovered.push(error) });
    expect(recovered[0]).toMatchObject({
      code: 'EVENTS_JSONL_CORRUPT',
      details: { recovered: true },
    });
    expect(reopened.head.seq).toBe(3);
    await reopened.write(event(4));
    await reopened.close();
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a corrupt line in the middle with file and line number', async () => {
    const file = freshPath();
    const sink = await JsonlSink.open(file);
    await sink.write(event(1));
    await sink.close();
    appendFileSync(file, 'garbage\n');
    appendFileSync(file, `${JSON.stringify(event(2))}\n`);
    await expect(readJsonlEventArray(file)).rejects.toMatchObject({
      code: 'EVENTS_JSONL_CORRUPT',
      details: { line: 2 },
    });
  });

  it('round-trips unknown types and fields byte for byte', async () => {
    const file = freshPath();
    const future = {
      v: 1,
      type: 'hologram.projected',
      seq: 1,
      ts: 5,
      sessionId: 's',
      runId: 'r',
      data: { depth: 3, nested: { a: [1, 'b'] } },
      zeta: true,
    } as unknown as AnyEvent;
    const sink = await JsonlSink.open(file);
    await sink.write(future);
    await sink.close();
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(future)}\n`);
    expect(await readJsonlEventArray(file)).toEqual([future]);
  });

  it('upgrades v0 (pre-contract) records on read', async () => {
    const file = freshPath();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      `${JSON.stringify({ index: 0, emitted_at_ms: 5, type: 'agent_message_chunk', session_id: 's', content: 'hi' })}\n`,
      { flag: 'w' },
    );
    const events = await readJsonlEventArray(file, { validate: true });
    expect(events.map((e) => e.type)).toEqual(['message.started', 'message.delta']);
  });

  it('refuses events over maxEventBytes and writes after close', async () => {
    const file = freshPath();
    const sink = await JsonlSink.open(file, { maxEventBytes: 100 });
    expect(() => sink.write(event(1))).toThrow(
      expect.objectContaining({ code: 'EVENTS_EVENT_TOO_LARGE' }),
    );
    await sink.close();
    expect(() => sink.write(event(1))).toThrow(expect.objectContaining({ code: 'EVENTS_CLOSED' }));
    await expect(JsonlSink.open(file, { maxFileBytes: -1 })).rejects.toMatchObject({
      code: 'EVENTS_INVALID_OPTIONS',
    });
  });

  it('serves the bus, per session through the registry, and a restarted bus continues seq from the file', async () => {
    const fileA = freshPath();
    const fileB = freshPath();
    const errors: EventsError[] = [];
    const bus = new EventBus({ onError: (error) => errors.push(error) });
    const a = await JsonlSink.open(fileA);
    const b = await JsonlSink.open(fileB);
    bus.registry.register('a', a);
    bus.registry.register('b', b);
    const emit = (target: EventBus, sessionId: string, delta: string) =>
      target.emit({
        type: 'message.delta',
        sessionId,
        runId: 'r',
        data: { messageId: 'm', delta },
      });
    emit(bus, 'a', '1');
    emit(bus, 'b', '1');
    emit(bus, 'a', '2');
    await bus.flush();
    await Promise.all([a.close(), b.close()]);
    expect((await readJsonlEventArray(fileA)).map((e) => [e.sessionId, e.seq])).toEqual([
      ['a', 1],
      ['a', 2],
    ]);
    expect((await readJsonlEventArray(fileB)).map((e) => [e.sessionId, e.seq])).toEqual([['b', 1]]);
    // "Restart": a new bus continues session a from its file.
    const reopened = await JsonlSink.open(fileA);
    const restarted = new EventBus({ sinks: [reopened] });
    restarted.restoreSession('a', reopened.head);
    emit(restarted, 'a', '3');
    await restarted.flush();
    await reopened.close();
    expect((await readJsonlEventArray(fileA)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(errors).toEqual([]);
  });

  it('a too-large event is reported by the bus with its own code and does not stop the sink', async () => {
    const file = freshPath();
    const errors: EventsError[] = [];
    const sink = await JsonlSink.open(file, { maxEventBytes: 300 });
    const bus = new EventBus({ sinks: [sink], onError: (error) => errors.push(error) });
    bus.emit({
      type: 'message.delta',
      sessionId: 's',
      runId: 'r',
      data: { messageId: 'm', delta: 'ok' },
    });
    bus.emit({
      type: 'message.delta',
      sessionId: 's',
      runId: 'r',
      data: { messageId: 'm', delta: 'z'.repeat(1000) },
    });
    bus.emit({
      type: 'message.delta',
      sessionId: 's',
      runId: 'r',
      data: { messageId: 'm', delta: 'ok again' },
    });
    await bus.flush();
    await sink.close();
    expect(errors.map((error) => error.code)).toEqual(['EVENTS_EVENT_TOO_LARGE']);
    expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([1, 3]);
  });
});

describe('JsonlSink.open on damaged or unusual files', () => {
  const bigEvent = (seq: number, chars: number) =>
    event(seq, {
      type: 'tool_call.completed',
      data: { toolCallId: 'c', status: 'completed', output: 'o'.repeat(chars), durationMs: 1 },
    });

  it('reopens after a last line of 64 KiB and more (a 100k-character tool output), every time', async () => {
    for (const chars of [64 * 1024, 100_000, 200_000]) {
      const file = freshPath();
      const sink = await JsonlSink.open(file, { maxEventBytes: 1024 * 1024 });
      for (let seq = 1; seq <= 3; seq++) await sink.write(event(seq));
      await sink.write(bigEvent(4, chars));
      await sink.close();
      const reopened = await JsonlSink.open(file);
      expect(reopened.head).toEqual({ seq: 4, ts: 1004 });
      await reopened.write(event(5));
      await reopened.close();
      expect((await readJsonlEventArray(file)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('reopens after a 32 MiB last line well under a second of work', async () => {
    const file = freshPath();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      `${JSON.stringify(event(1))}\n${JSON.stringify(bigEvent(2, 32 * 1024 * 1024))}\n`,
    );
    const started = performance.now();
    const sink = await JsonlSink.open(file);
    expect(sink.head.seq).toBe(2);
    expect(performance.now() - started).toBeLessThan(5_000); // ~100 ms idle; generous under load
    await sink.close();
  });

  it.each([
    ['garbage', 'garbage'],
    ['null', 'null'],
    ['a non-numeric seq', JSON.stringify({ ...event(2), seq: 'two' })],
    ['no sessionId', JSON.stringify({ ...event(2), sessionId: undefined })],
  ])(
    'refuses a last line with %s with EVENTS_JSONL_CORRUPT (never a raw error, never head 0)',
    async (_name, bad) => {
      const file = freshPath();
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(event(1))}\n${bad}\n`);
      await expect(JsonlSink.open(file)).rejects.toMatchObject({
        code: 'EVENTS_JSONL_CORRUPT',
        details: { file },
      });
    },
  );

  it('refuses a last line over maxLineBytes with EVENTS_JSONL_LINE_TOO_LONG', async () => {
    const file = freshPath();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(bigEvent(1, 2 * 1024 * 1024))}\n`);
    await expect(JsonlSink.open(file, { maxLineBytes: 1024 * 1024 })).rejects.toMatchObject({
      code: 'EVENTS_JSONL_LINE_TOO_LONG',
    });
  });

  it('writes the JSON it is given as the line, without serialising the event again', async () => {
    const file = freshPath();
    const sink = await JsonlSink.open(file);
    // The bus passes JSON.stringify(event); any text for the same event shows which one is written.
    const given = JSON.stringify(event(1)).replace('"seq":1', '"seq": 1');
    expect(sink.write(event(1), given)).toBeUndefined();
    await sink.write(event(2));
    await sink.close();
    expect(readFileSync(file, 'utf8')).toBe(`${given}\n${JSON.stringify(event(2))}\n`);
  });
});
