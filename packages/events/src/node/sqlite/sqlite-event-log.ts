import type Database from 'better-sqlite3';
import { EventsError, parseEventsOptions } from '../../errors/events-error.js';
import { checkContiguous } from '../../log/check-contiguous.js';
import { DEFAULT_READ_LIMIT, type EventLog, type SubscribeOptions } from '../../log/event-log.js';
import { LiveListeners } from '../../log/live-listeners.js';
import { replayThenLive } from '../../log/replay-then-live.js';
import type { AnyEvent } from '../../schema/agent-event.js';
import type { SequenceHead } from '../../sequencer/session-sequencer.js';
import { toSqliteAppendError, toSqliteOpenError, toSqliteReadError } from './sqlite-errors.js';
import {
  sqliteEventLogOptionsSchema,
  type SqliteEventLogOptions,
} from './sqlite-event-log-options.js';
import { loadBetterSqlite3 } from './load-better-sqlite3.js';
import { migrateSqliteSchema } from './sqlite-schema.js';

/** `[seq, body]`, as read with `raw()`. */
type StoredRow = [seq: number, body: string];
type InsertParams = [
  sessionId: string,
  seq: number,
  ts: number,
  type: string,
  runId: string | null,
  body: string,
];

/**
 * The embedded, durable {@link EventLog}: one SQLite file (better-sqlite3,
 * WAL, `synchronous = NORMAL`) holding every session's events, each stored as
 * its full JSON so unknown types and fields come back unchanged.
 *
 * Each `append` is one write transaction that takes the file's write lock
 * first (`BEGIN IMMEDIATE`) and checks contiguity against the stored head
 * inside it, so two processes appending to the same session cannot both win:
 * the loser gets `EVENTS_SEQ_CONFLICT` and nothing of its batch is stored.
 *
 * `read`, `head`, `readRun` and `sessions` query the file each time, so they
 * also see events other processes appended. Live `subscribe` only hears
 * appends made through this instance; events from elsewhere reach a
 * subscriber when a later local append reveals the gap (it is filled from
 * the file) or when it resubscribes.
 *
 * ```ts
 * const log = new SqliteEventLog({ path: 'events.db' });
 * const bus = new EventBus({ log }); // sessions continue from the stored head after a restart
 * ```
 */
export class SqliteEventLog implements EventLog {
  readonly #db: Database.Database;
  readonly #ownsDb: boolean;
  /** The file (or connection name), for error messages. */
  readonly #path: string;
  readonly #live = new LiveListeners();
  #closed = false;
  readonly #insert: Database.Statement<InsertParams>;
  readonly #headStmt: Database.Statement<[string], SequenceHead>;
  readonly #readStmt: Database.Statement<[string, number, number], StoredRow>;
  readonly #readRunStmt: Database.Statement<[string, string], StoredRow>;
  readonly #sessionsStmt: Database.Statement<[], string>;
  readonly #deleteStmt: Database.Statement<[string]>;
  readonly #appendBatch: Database.Transaction<
    (events: readonly AnyEvent[], json: readonly (string | undefined)[] | undefined) => void
  >;

  constructor(options: SqliteEventLogOptions) {
    const resolved = parseEventsOptions(sqliteEventLogOptionsSchema, options);
    this.#ownsDb = resolved.database === undefined;
    const where = resolved.path ?? resolved.database?.name ?? '';
    this.#path = where;
    try {
      this.#db =
        // A passed connection was checked structurally by the options schema;
        // its full better-sqlite3 type is only known here, inside the package.
        (resolved.database as Database.Database | undefined) ??
        new (loadBetterSqlite3())(resolved.path, { timeout: resolved.busyTimeoutMs });
    } catch (error) {
      throw toSqliteOpenError(error, where);
    }
    try {
      if (this.#ownsDb) {
        this.#db.pragma('journal_mode = WAL');
        this.#db.pragma('synchronous = NORMAL');
        this.#db.pragma('foreign_keys = ON');
      }
      migrateSqliteSchema(this.#db);
    } catch (error) {
      if (this.#ownsDb) this.#db.close();
      throw toSqliteOpenError(error, where);
    }
    const db = this.#db;
    this.#insert = db.prepare<InsertParams>(
      'INSERT INTO events (session_id, seq, ts, type, run_id, body) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#headStmt = db.prepare<[string], SequenceHead>(
      'SELECT seq, ts FROM events WHERE session_id = ? ORDER BY seq DESC LIMIT 1',
    );
    this.#readStmt = db
      .prepare<[string, number, number], StoredRow>(
        'SELECT seq, body FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      )
      .raw();
    this.#readRunStmt = db
      .prepare<[string, string], StoredRow>(
        // Without ANALYZE statistics the planner prefers scanning the whole
        // session by primary key; a run is usually a small part of it.
        'SELECT seq, body FROM events INDEXED BY events_by_run WHERE session_id = ? AND run_id = ? ORDER BY seq',
      )
      .raw();
    // A skip-scan over the primary key: one index seek per session instead of
    // a scan of every event, which is what DISTINCT would do.
    this.#sessionsStmt = db
      .prepare<[], string>(
        `WITH RECURSIVE ids(id) AS (
           SELECT MIN(session_id) FROM events
           UNION ALL
           SELECT (SELECT MIN(session_id) FROM events WHERE session_id > ids.id) FROM ids WHERE ids.id IS NOT NULL
         )
         SELECT id FROM ids WHERE id IS NOT NULL`,
      )
      .pluck();
    this.#deleteStmt = db.prepare<[string]>('DELETE FROM events WHERE session_id = ?');
    this.#appendBatch = db.transaction(
      (events: readonly AnyEvent[], json: readonly (string | undefined)[] | undefined) => {
        checkContiguous(events, (sessionId) => this.#storedHead(sessionId));
        for (let index = 0; index < events.length; index++) {
          const event = events[index]!;
          this.#insert.run(
            event.sessionId,
            event.seq,
            event.ts,
            event.type,
            event.runId ?? null,
            json?.[index] ?? JSON.stringify(event),
          );
        }
      },
    );
  }

  /**
   * Stores the batch in one transaction, then hands it to live subscribers.
   * Throws `EVENTS_SEQ_CONFLICT` when a session's events do not continue its
   * stored head (including when another writer got there first),
   * `EVENTS_STORE_CORRUPT` (with the path and what to do) for a damaged
   * file, `EVENTS_LOG_APPEND_FAILED` for anything else, `EVENTS_CLOSED`
   * after `close`. A refused batch leaves nothing behind.
   *
   * Do not call it inside a transaction of your own on a shared `database`:
   * subscribers would hear of events your rollback could still undo.
   */
  append(events: readonly AnyEvent[], json?: readonly (string | undefined)[]): void {
    this.#assertOpen();
    if (events.length === 0) return;
    try {
      this.#appendBatch.immediate(events, json);
    } catch (error) {
      throw toSqliteAppendError(error, events, this.#path);
    }
    this.#live.publish(events);
  }

  /** Up to `limit` (default 1000) events of a session with `seq > afterSeq` (default 0), in order. */
  read(sessionId: string, afterSeq = 0, limit = DEFAULT_READ_LIMIT): AnyEvent[] {
    this.#assertOpen();
    return this.#query(`read session ${sessionId}`, () =>
      this.#readStmt.all(sessionId, afterSeq, limit).map((row) => parseRow(row, sessionId)),
    );
  }

  /** Every stored event of one run of a session, in `seq` order (served by the run index). */
  readRun(sessionId: string, runId: string): AnyEvent[] {
    this.#assertOpen();
    return this.#query(`read run ${runId} of session ${sessionId}`, () =>
      this.#readRunStmt.all(sessionId, runId).map((row) => parseRow(row, sessionId)),
    );
  }

  /**
   * The last stored `seq` and `ts` of a session, as of now (`{seq: 0, ts: 0}`
   * when empty). Like every read, it throws `EVENTS_STORE_CORRUPT` for a
   * damaged file and `EVENTS_LOG_READ_FAILED` for other SQLite failures.
   */
  head(sessionId: string): SequenceHead {
    this.#assertOpen();
    return this.#query(`read the head of session ${sessionId}`, () => this.#storedHead(sessionId));
  }

  /** Ids of the sessions with at least one stored event, in ascending id order. */
  sessions(): string[] {
    this.#assertOpen();
    return this.#query('list sessions', () => this.#sessionsStmt.all());
  }

  /**
   * Deletes every stored event of a session in one transaction and returns
   * how many. The file does not shrink (SQLite reuses the pages); run
   * `VACUUM` on it offline to give the space back.
   */
  deleteSession(sessionId: string): number {
    this.#assertOpen();
    return this.#query(`delete session ${sessionId}`, () =>
      this.#db.transaction(() => this.#deleteStmt.run(sessionId).changes).immediate(),
    );
  }

  /**
   * Replays stored events after `afterSeq`, then follows appends made through
   * this instance, without gaps or duplicates, until `signal` aborts or the
   * log closes.
   */
  subscribe(sessionId: string, options?: SubscribeOptions): AsyncIterable<AnyEvent> {
    return replayThenLive(
      {
        // A subscriber may still be paging when the log closes; it then just ends.
        read: (id, after, limit) => (this.#closed ? [] : this.read(id, after, limit)),
        listen: (id, listener) => this.#live.listen(id, listener),
        closed: this.#live.closed,
      },
      sessionId,
      options,
    );
  }

  /** `await using` support: the same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  /** Ends every subscription and, if the log opened the file, closes it. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#live.close();
    if (this.#ownsDb) this.#db.close();
  }

  /** Runs a statement, mapping what SQLite throws to a coded error that names the file. */
  #query<T>(action: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw toSqliteReadError(error, this.#path, action);
    }
  }

  #storedHead(sessionId: string): SequenceHead {
    return this.#headStmt.get(sessionId) ?? { seq: 0, ts: 0 };
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new EventsError({ code: 'EVENTS_CLOSED', message: 'The SQLite event log is closed.' });
  }
}

/** The stored JSON back as an event; `EVENTS_STORE_CORRUPT` when it is not an event object. */
function parseRow([seq, body]: StoredRow, sessionId: string): AnyEvent {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch (error) {
    throw corrupt(sessionId, seq, error);
  }
  if (typeof event !== 'object' || event == null || (event as { seq?: unknown }).seq !== seq) {
    throw corrupt(sessionId, seq);
  }
  return event as AnyEvent;
}

function corrupt(sessionId: string, seq: number, cause?: unknown): EventsError {
  return new EventsError({
    code: 'EVENTS_STORE_CORRUPT',
    message: `The stored event ${seq} of session ${sessionId} is not valid event JSON.`,
    details: { sessionId, seq },
    cause,
  });
}
