import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../bus/event-bus.js';
import type { EventsError } from '../../errors/events-error.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import { SqliteEventLog } from './sqlite-event-log.js';
import { noticeEvent, seqRange, seqsOf } from '../conformance/log-fixtures.js';

const dirs: string[] = [];
const open: { close(): unknown }[] = [];
afterEach(() => {
  for (const item of open.splice(0)) item.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const dbFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-event-log-'));
  dirs.push(dir);
  return path.join(dir, 'events.db');
};
const track = <T extends { close(): unknown }>(item: T): T => {
  open.push(item);
  return item;
};
const newLog = (file = dbFile()) => track(new SqliteEventLog({ path: file }));

const notice = (sessionId: string, i: number) =>
  ({ type: 'notice', sessionId, runId: 'r', data: { severity: 'info', message: `${i}` } }) as const;

describe('SqliteEventLog', () => {
  it('appends, reads pages after a cursor, and reports heads and sessions', () => {
    const log = newLog();
    log.append([
      noticeEvent('b', 1),
      noticeEvent('a', 1),
      noticeEvent('a', 2),
      noticeEvent('b', 2),
      noticeEvent('a', 3),
    ]);
    log.append([]);
    expect(seqsOf(log.read('a'))).toEqual([1, 2, 3]);
    expect(seqsOf(log.read('a', 1, 1))).toEqual([2]);
    expect(seqsOf(log.read('a', 1))).toEqual([2, 3]);
    expect(log.read('a', 3)).toEqual([]);
    expect(log.read('nobody')).toEqual([]);
    expect(log.head('a')).toEqual({ seq: 3, ts: 1003 });
    expect(log.head('b')).toEqual({ seq: 2, ts: 1002 });
    expect(log.head('nobody')).toEqual({ seq: 0, ts: 0 });
    expect(log.sessions()).toEqual(['a', 'b']);
  });

  it('pages through a long session with the default limit of 1000', () => {
    const log = newLog();
    log.append(seqRange(1, 2500).map((seq) => noticeEvent('s', seq)));
    const first = log.read('s');
    expect(first).toHaveLength(1000);
    expect(seqsOf(log.read('s', 2000))).toEqual(seqRange(2001, 2500));
    let cursor = 0;
    const all: number[] = [];
    for (
      let page = log.read('s', cursor, 333);
      page.length > 0;
      page = log.read('s', cursor, 333)
    ) {
      all.push(...seqsOf(page));
      cursor = page.at(-1)!.seq;
    }
    expect(all).toEqual(seqRange(1, 2500));
  });

  it('readRun returns one run in order, through the run index', () => {
    const file = dbFile();
    const log = newLog(file);
    log.append([
      noticeEvent('s', 1, 'r1'),
      noticeEvent('s', 2, 'r2'),
      noticeEvent('s', 3, 'r1'),
      noticeEvent('t', 1, 'r1'),
      noticeEvent('s', 4, 'r1'),
      noticeEvent('s', 5, 'r2'),
    ]);
    expect(seqsOf(log.readRun('s', 'r1'))).toEqual([1, 3, 4]);
    expect(seqsOf(log.readRun('s', 'r2'))).toEqual([2, 5]);
    expect(log.readRun('s', 'none')).toEqual([]);
    const session = {
      v: 1,
      type: 'session.started',
      seq: 1,
      ts: 1,
      sessionId: 'u',
      data: {},
    } as AnyEvent;
    log.append([session]); // session-scoped: no runId, stored as NULL
    expect(log.read('u')).toEqual([session]);
    const probe = track(new Database(file, { readonly: true }));
    const plan = probe
      .prepare(
        'EXPLAIN QUERY PLAN SELECT seq, body FROM events INDEXED BY events_by_run WHERE session_id = ? AND run_id = ? ORDER BY seq',
      )
      .all('s', 'r1') as { detail: string }[];
    // The schema's index answers the lookup by seek, already in seq order (no sort step).
    expect(plan.map((row) => row.detail)).toEqual([
      'SEARCH events USING INDEX events_by_run (session_id=? AND run_id=?)',
    ]);
  });

  it('rejects gaps and duplicates, and stores nothing of a refused batch', () => {
    const log = newLog();
    log.append([noticeEvent('a', 1), noticeEvent('b', 1)]);
    // The good events of session b come first in the batch; they must not survive a's gap.
    expect(() =>
      log.append([
        noticeEvent('b', 2),
        noticeEvent('b', 3),
        noticeEvent('a', 2),
        noticeEvent('a', 4),
      ]),
    ).toThrow(expect.objectContaining({ code: 'EVENTS_SEQ_CONFLICT' }));
    expect(() => log.append([noticeEvent('a', 1)])).toThrow(/expected seq 2, got 1/);
    expect(() => log.append([noticeEvent('c', 2)])).toThrow(/expected seq 1, got 2/);
    expect(log.head('a').seq).toBe(1);
    expect(log.head('b').seq).toBe(1);
    expect(log.sessions()).toEqual(['a', 'b']);
    log.append([noticeEvent('a', 2), noticeEvent('b', 2)]);
    expect(seqsOf(log.read('a'))).toEqual([1, 2]);
  });

  it('rolls back a batch that SQLite refuses part-way, as EVENTS_LOG_APPEND_FAILED', () => {
    const log = newLog();
    const fractionalTs = { ...noticeEvent('a', 3), ts: 1.5 } as AnyEvent; // STRICT table: ts must be an integer
    let error: EventsError | undefined;
    try {
      log.append([noticeEvent('a', 1), noticeEvent('a', 2), fractionalTs]);
    } catch (caught) {
      error = caught as EventsError;
    }
    expect(error).toMatchObject({
      code: 'EVENTS_LOG_APPEND_FAILED',
      retryable: false,
      details: { sessions: ['a'], count: 3 },
    });
    expect((error?.cause as { code?: string }).code).toMatch(/^SQLITE_CONSTRAINT/);
    const unserialisable = { ...noticeEvent('a', 2), data: { big: 1n } } as unknown as AnyEvent;
    expect(() => log.append([noticeEvent('a', 1), unserialisable])).toThrow(
      expect.objectContaining({
        code: 'EVENTS_LOG_APPEND_FAILED',
        message: expect.stringMatching(/BigInt/),
      }),
    );
    expect(log.head('a').seq).toBe(0);
    expect(log.sessions()).toEqual([]);
  });

  it('fails a blocked append as retryable EVENTS_LOG_APPEND_FAILED once busyTimeoutMs passes', () => {
    const file = dbFile();
    const log = track(new SqliteEventLog({ path: file, busyTimeoutMs: 50 }));
    const other = track(new Database(file));
    other.exec('BEGIN IMMEDIATE'); // another connection holds the write lock
    const started = Date.now();
    expect(() => log.append([noticeEvent('a', 1)])).toThrow(
      expect.objectContaining({
        code: 'EVENTS_LOG_APPEND_FAILED',
        retryable: true,
        details: expect.objectContaining({ sqliteCode: 'SQLITE_BUSY' }),
      }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    other.exec('ROLLBACK');
    log.append([noticeEvent('a', 1)]);
    expect(log.head('a').seq).toBe(1);
  });

  it('is durable across close and reopen: a new instance sees the head and continues', () => {
    const file = dbFile();
    const first = new SqliteEventLog({ path: file });
    first.append(seqRange(1, 50).map((seq) => noticeEvent('s', seq)));
    first.close();
    expect(fs.existsSync(file)).toBe(true);
    const second = newLog(file);
    expect(second.head('s')).toEqual({ seq: 50, ts: 1050 });
    expect(() => second.append([noticeEvent('s', 50)])).toThrow(
      expect.objectContaining({ code: 'EVENTS_SEQ_CONFLICT' }),
    );
    second.append([noticeEvent('s', 51)]);
    expect(seqsOf(second.read('s'))).toEqual(seqRange(1, 51));
    const probe = track(new Database(file, { readonly: true }));
    expect(probe.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(probe.pragma('user_version', { simple: true })).toBe(1);
  });

  it('round-trips unknown types and fields byte for byte', () => {
    const file = dbFile();
    const future = {
      v: 1,
      type: 'hologram.projected',
      seq: 1,
      ts: 42,
      sessionId: 's',
      runId: 'r',
      data: { z: 1, a: [null, { ünï: '😀\n"quoted"\u2028' }], nested: { deep: { x: -0.5e-7 } } },
      meta: { 'acme.trace': 'x' },
      futureEnvelopeKey: { kept: true },
    } as AnyEvent;
    const known = { ...noticeEvent('s', 2), extra: 'kept too' } as unknown as AnyEvent;
    const log = newLog(file);
    log.append([future, known]);
    const reopened = newLog(file);
    const back = reopened.read('s');
    expect(back).toEqual([future, known]);
    expect(back.map((event) => JSON.stringify(event))).toEqual([
      JSON.stringify(future),
      JSON.stringify(known),
    ]);
    const probe = track(new Database(file, { readonly: true }));
    const stored = probe
      .prepare('SELECT body FROM events WHERE session_id = ? ORDER BY seq')
      .pluck()
      .all('s');
    expect(stored).toEqual([JSON.stringify(future), JSON.stringify(known)]);
    expect(reopened.readRun('s', 'r').map((event) => event.type)).toEqual([
      'hologram.projected',
      'notice',
    ]);
  });

  it('reports a row whose body is not event JSON as EVENTS_STORE_CORRUPT', () => {
    const file = dbFile();
    const log = newLog(file);
    log.append([noticeEvent('s', 1)]);
    const writer = track(new Database(file));
    writer.prepare("INSERT INTO events VALUES ('s', 2, 2, 'notice', 'r', '{not json')").run();
    writer.prepare("INSERT INTO events VALUES ('t', 1, 1, 'notice', 'r', '[1]')").run();
    expect(log.head('s').seq).toBe(2);
    expect(() => log.read('s')).toThrow(
      expect.objectContaining({
        code: 'EVENTS_STORE_CORRUPT',
        details: { sessionId: 's', seq: 2 },
      }),
    );
    expect(() => log.readRun('t', 'r')).toThrow(
      expect.objectContaining({ code: 'EVENTS_STORE_CORRUPT' }),
    );
    expect(seqsOf(log.read('s', 0, 1))).toEqual([1]); // the good rows before it still read
  });

  it('refuses to open a file that is not a database, or a path in a missing directory', () => {
    const file = dbFile();
    fs.writeFileSync(file, 'these are not the pages you are looking for\n'.repeat(200));
    expect(() => new SqliteEventLog({ path: file })).toThrow(
      expect.objectContaining({
        code: 'EVENTS_STORE_CORRUPT',
        details: { path: file, sqliteCode: 'SQLITE_NOTADB' },
      }),
    );
    const missing = path.join(path.dirname(file), 'no-such-dir', 'events.db');
    expect(() => new SqliteEventLog({ path: missing })).toThrow(
      expect.objectContaining({ code: 'EVENTS_INVALID_OPTIONS', details: { path: missing } }),
    );
  });

  it('sees appends from another connection in read and head, and fills them into live subscribers on the next local append', async () => {
    const file = dbFile();
    const local = newLog(file);
    const remote = newLog(file);
    local.append([noticeEvent('s', 1)]);
    expect(remote.head('s').seq).toBe(1);
    remote.append([noticeEvent('s', 2), noticeEvent('s', 3)]);
    expect(local.head('s').seq).toBe(3);
    expect(seqsOf(local.read('s'))).toEqual([1, 2, 3]);

    const controller = new AbortController();
    const seen: number[] = [];
    const reader = (async () => {
      for await (const event of local.subscribe('s', { signal: controller.signal })) {
        seen.push(event.seq);
        if (event.seq === 6) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([1, 2, 3]);
    remote.append([noticeEvent('s', 4), noticeEvent('s', 5)]); // not heard live by `local`
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([1, 2, 3]);
    local.append([noticeEvent('s', 6)]); // reveals the gap; it is filled from the file
    await reader;
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it.each([0, 10])(
    'subscribe (afterSeq %i) replays, then follows live appends with no gap or duplicate while a producer keeps going',
    async (afterSeq) => {
      const log = newLog();
      const bus = new EventBus({ log });
      for (let i = 0; i < 30; i++) bus.emit(notice('s', i));
      await bus.flush();
      const controller = new AbortController();
      const seen: number[] = [];
      const reader = (async () => {
        for await (const event of log.subscribe('s', { afterSeq, signal: controller.signal })) {
          seen.push(event.seq);
          if (event.seq === 3000) controller.abort();
        }
      })();
      const producer = (async () => {
        for (let i = 30; i < 3000; i++) {
          bus.emit(notice('s', i));
          if (i % 97 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
        }
        await bus.flush();
      })();
      await Promise.all([producer, reader]);
      expect(seen).toEqual(seqRange(afterSeq + 1, 3000));
    },
  );

  it('abort ends a waiting iterator, and close ends every subscription', async () => {
    const log = newLog();
    log.append([noticeEvent('s', 1)]);
    const controller = new AbortController();
    const iterator = log.subscribe('s', { signal: controller.signal })[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.seq).toBe(1);
    const pending = iterator.next();
    controller.abort();
    expect((await pending).done).toBe(true);

    const seen: number[] = [];
    const reader = (async () => {
      for await (const event of log.subscribe('s')) seen.push(event.seq);
    })();
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.close();
    await reader;
    expect(seen).toEqual([1]);
  });

  it('refuses every call after close with EVENTS_CLOSED, and close is idempotent', () => {
    const log = new SqliteEventLog({ path: ':memory:' });
    log.append([noticeEvent('s', 1)]);
    log.close();
    log.close();
    const closed = expect.objectContaining({ code: 'EVENTS_CLOSED' });
    expect(() => log.append([noticeEvent('s', 2)])).toThrow(closed);
    expect(() => log.read('s')).toThrow(closed);
    expect(() => log.head('s')).toThrow(closed);
    expect(() => log.readRun('s', 'r')).toThrow(closed);
    expect(() => log.sessions()).toThrow(closed);
  });

  it('shares a given connection without changing its pragmas or closing it', () => {
    const db = track(new Database(':memory:'));
    const log = new SqliteEventLog({ database: db });
    log.append([noticeEvent('s', 1)]);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL, the connection's own default
    const second = new SqliteEventLog({ database: db }); // the schema is already there
    expect(second.head('s').seq).toBe(1);
    log.close();
    second.close();
    expect(db.open).toBe(true);
  });

  it('validates its options once, listing every issue', () => {
    const invalid = (options: unknown) => {
      try {
        new SqliteEventLog(options as never);
      } catch (error) {
        return error as EventsError;
      }
      throw new Error('expected the constructor to throw');
    };
    expect(invalid({})).toMatchObject({
      code: 'EVENTS_INVALID_OPTIONS',
      message: /exactly one of `path` or `database`/,
    });
    expect(invalid({ path: ':memory:', database: track(new Database(':memory:')) }).code).toBe(
      'EVENTS_INVALID_OPTIONS',
    );
    expect(invalid({ database: { prepare: 1 } }).message).toMatch(
      /database: Expected an open better-sqlite3 Database/,
    );
    expect(invalid({ path: '', busyTimeoutMs: -1 }).details?.issues).toHaveLength(2);
  });

  it('feeds an EventBus that continues each session after a restart (new bus, new log, same file)', async () => {
    const file = dbFile();
    const firstLog = new SqliteEventLog({ path: file });
    const firstBus = new EventBus({ log: firstLog });
    for (let i = 0; i < 25; i++) firstBus.emit(notice(i % 2 === 0 ? 'a' : 'b', i));
    await firstBus.close();
    firstLog.close();

    const errors: unknown[] = [];
    const log = newLog(file);
    const bus = new EventBus({ log, onError: (error) => errors.push(error) });
    const next = bus.emit(notice('a', 100));
    expect(next.seq).toBe(14);
    expect(next.ts).toBeGreaterThanOrEqual(log.read('a', 12)[0]!.ts);
    bus.emit(notice('b', 101));
    bus.emit(notice('c', 102));
    await bus.flush();
    expect(errors).toEqual([]);
    expect(seqsOf(log.read('a'))).toEqual(seqRange(1, 14));
    expect(seqsOf(log.read('b'))).toEqual(seqRange(1, 13));
    expect(seqsOf(log.read('c'))).toEqual([1]);
  });

  it('a bus that loses a seq race to another writer reports EVENTS_SEQ_CONFLICT and continues from the log head', async () => {
    const file = dbFile();
    const log = newLog(file);
    const other = newLog(file); // a second connection, like another process
    const errors: EventsError[] = [];
    const bus = new EventBus({ log, onError: (error) => errors.push(error) });
    bus.emit(notice('s', 0));
    await bus.flush();
    other.append([noticeEvent('s', 2), noticeEvent('s', 3)]); // takes the numbers the bus would stamp next
    bus.emit(notice('s', 1)); // stamped 2: refused
    await bus.flush();
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'EVENTS_SEQ_CONFLICT',
        details: expect.objectContaining({ sessions: ['s'], count: 1, heads: { s: 3 } }),
      }),
    ]);
    expect(bus.head('s')?.seq).toBe(3); // re-read from the log, not rewound to its own stale 1
    for (let i = 2; i < 5; i++) bus.emit(notice('s', i));
    await bus.flush();
    expect(errors).toHaveLength(1); // every later batch is stored again
    expect(seqsOf(log.read('s'))).toEqual(seqRange(1, 6));
    expect(log.read('s').map((event) => (event.data as { message: string }).message)).toEqual([
      '0',
      '2',
      '3',
      '2',
      '3',
      '4',
    ]);
  });

  it('maps damaged pages to EVENTS_STORE_CORRUPT (path and a hint) in head, read and append, and bus.emit reports instead of throwing', async () => {
    const file = dbFile();
    const writer = new SqliteEventLog({ path: file });
    for (const sessionId of ['a', 'b', 'c'])
      writer.append(
        seqRange(1, 3000).map((seq) => ({
          ...noticeEvent(sessionId, seq),
          data: { severity: 'info', message: `${'x'.repeat(200)}${seq}` },
        })),
      );
    writer.close(); // checkpoints the WAL into the file
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(1024 * 1024);
    // Overwrite the middle half of the file (whole pages) with garbage, as a bad disk would.
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(size / 2, 0xa5), 0, size / 2, Math.floor(size / 4 / 4096) * 4096);
    fs.closeSync(fd);

    const log = newLog(file);
    const corrupt = expect.objectContaining({
      code: 'EVENTS_STORE_CORRUPT',
      message: expect.stringMatching(/damaged \(SQLITE_CORRUPT.*\.recover/),
      details: { path: file, sqliteCode: 'SQLITE_CORRUPT' },
    });
    expect(() => log.head('a')).toThrow(corrupt);
    expect(() => log.read('b')).toThrow(corrupt);
    expect(() => log.sessions()).toThrow(corrupt);
    expect(() => log.append([noticeEvent('a', 3001)])).toThrow(corrupt);

    const errors: EventsError[] = [];
    const bus = new EventBus({ log, onError: (error) => errors.push(error) });
    expect(() => bus.emit(notice('a', 1))).not.toThrow();
    await bus.flush();
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'EVENTS_STORE_CORRUPT',
        message: expect.stringMatching(/session a .*not stored.*damaged.*\.recover/),
        details: { path: file, sqliteCode: 'SQLITE_CORRUPT', sessionId: 'a' },
      }),
    ]);
  });

  it('deleteSession deletes one session durably and returns the count; the bus starts it again at 1', async () => {
    const file = dbFile();
    const log = newLog(file);
    const bus = new EventBus({ log });
    for (let i = 0; i < 30; i++) bus.emit(notice(i % 3 === 0 ? 'keep' : 'drop', i));
    expect(await bus.deleteSession('drop')).toBe(20);
    expect(log.read('drop')).toEqual([]);
    expect(log.head('drop')).toEqual({ seq: 0, ts: 0 });
    expect(log.sessions()).toEqual(['keep']);
    expect(log.deleteSession('nobody')).toBe(0);
    expect(bus.emit(notice('drop', 99)).seq).toBe(1);
    await bus.flush();
    const reopened = newLog(file); // the delete was committed, not only cached
    expect(seqsOf(reopened.read('drop'))).toEqual([1]);
    expect(seqsOf(reopened.read('keep'))).toEqual(seqRange(1, 10));
    log.close();
    expect(() => log.deleteSession('keep')).toThrow(
      expect.objectContaining({ code: 'EVENTS_CLOSED' }),
    );
  });

  it('stores the JSON it is given for an event as the row body, serialising the others', () => {
    const file = dbFile();
    const log = newLog(file);
    // The bus passes JSON.stringify(event); any text for the same event shows which one is stored.
    const given = JSON.stringify(noticeEvent('s', 1)).replace('"seq":1', '"seq": 1');
    log.append([noticeEvent('s', 1), noticeEvent('s', 2)], [given, undefined]);
    log.append([noticeEvent('s', 3)]);
    const probe = track(new Database(file, { readonly: true }));
    const stored = probe
      .prepare('SELECT body FROM events WHERE session_id = ? ORDER BY seq')
      .pluck()
      .all('s');
    expect(stored).toEqual([
      given,
      JSON.stringify(noticeEvent('s', 2)),
      JSON.stringify(noticeEvent('s', 3)),
    ]);
    expect(seqsOf(log.read('s'))).toEqual([1, 2, 3]);
  });
});
