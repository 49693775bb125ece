import {
  DEFAULT_READ_LIMIT,
  EventsError,
  type AnyEvent,
  type EventLog,
  type SequenceHead,
  type SubscribeOptions,
} from '@switchboard/events';
import { LiveListeners, replayThenLive } from '@switchboard/events/internal';
import { z } from 'zod';
import { parsePostgresOptions, PostgresError } from '../errors/postgres-error.js';
import { PostgresDatabase } from '../database/postgres-database.js';
import { postgresDatabaseOptionsSchema } from '../database/postgres-options.js';
import { checkBatch, toAppendError } from './append-errors.js';
import { NotifyFanOut } from './notify-fan-out.js';
import { parseStoredEvent } from './parse-stored-event.js';

/** The channel `switchboard_append_events` notifies on. */
export const EVENTS_CHANNEL = 'switchboard_events';

const optionsSchema = z.object({
  /** A shared database (the session store may use the same); the log does not close it. */
  database: z.instanceof(PostgresDatabase).optional(),
  /** Or connection options: the log opens (and closes) its own. */
  connection: postgresDatabaseOptionsSchema.optional(),
  /**
   * How often (ms) sessions with live subscribers are checked for events
   * whose notification was missed (a dropped LISTEN connection). @default 1000
   */
  catchUpIntervalMs: z.number().int().positive().default(1000),
});

/** What you pass to `new PostgresEventLog(options)`: `database` or `connection`. */
export type PostgresEventLogOptions = z.input<typeof optionsSchema>;

type Row = { seq: string; body: string };

/**
 * The {@link EventLog} on PostgreSQL, shared by any number of processes and
 * hosts. Each `append` is one statement (`switchboard_append_events`): it
 * checks that every session's events continue its stored head, inserts them,
 * and notifies `LISTEN`ers when it commits. The primary key
 * `(session_id, seq)` makes a duplicate impossible, so two writers racing on
 * one session cannot both win (`EVENTS_SEQ_CONFLICT`, nothing of the batch
 * stored).
 *
 * Live subscribers hear appends from every instance: a notification carries
 * only the session and seq range; this instance then reads the rows once and
 * hands them to all its subscribers of that session, so a lost notification
 * never loses an event: a periodic catch-up read (and one after every LISTEN
 * reconnect) delivers anything missed.
 *
 * `head` is asynchronous: a bus writing a session must be told where it
 * stands (`bus.restoreSession(id, await log.head(id))`); agent-core's agent
 * does this when it opens a session.
 */
export class PostgresEventLog implements EventLog {
  readonly #database: PostgresDatabase;
  readonly #ownsDatabase: boolean;
  readonly #live = new LiveListeners();
  readonly #fanOut: NotifyFanOut;
  #closed = false;

  constructor(options: PostgresEventLogOptions) {
    const resolved = parsePostgresOptions(optionsSchema, options);
    if (!resolved.database && !resolved.connection)
      throw new PostgresError({
        code: 'PG_INVALID_OPTIONS',
        message:
          'Invalid options: pass a PostgresDatabase as `database` or connection options as `connection`.',
      });
    this.#ownsDatabase = !resolved.database;
    this.#database = resolved.database ?? new PostgresDatabase(resolved.connection!);
    this.#fanOut = new NotifyFanOut({
      database: this.#database,
      channel: EVENTS_CHANNEL,
      live: this.#live,
      read: (sessionId, afterSeq, limit) => this.read(sessionId, afterSeq, limit),
      heads: (sessionIds) => this.#heads(sessionIds),
      intervalMs: resolved.catchUpIntervalMs,
    });
  }

  /** The database this log uses (share it with a `PostgresSessionStore`). */
  get database(): PostgresDatabase {
    return this.#database;
  }

  /**
   * Stores the batch atomically, then hands it to this instance's live
   * subscribers (other instances hear of it by notification). Throws
   * `EVENTS_SEQ_CONFLICT` when a session's events do not continue its stored
   * head, `PG_CONNECTION_LOST` once retries are exhausted, `PG_QUERY_FAILED`
   * otherwise, `PG_CLOSED` after `close`. A refused batch leaves nothing.
   */
  async append(events: readonly AnyEvent[], json?: readonly (string | undefined)[]): Promise<void> {
    this.#assertOpen();
    if (events.length === 0) return;
    checkBatch(events);
    const columns: [string[], number[], number[], string[], (string | null)[], string[]] = [
      [],
      [],
      [],
      [],
      [],
      [],
    ];
    events.forEach((event, index) => {
      columns[0].push(event.sessionId);
      columns[1].push(event.seq);
      columns[2].push(event.ts);
      columns[3].push(event.type);
      columns[4].push(event.runId ?? null);
      columns[5].push(json?.[index] ?? JSON.stringify(event));
    });
    let retried = false;
    try {
      await this.#database.query(
        'append events',
        [
          'SELECT switchboard_append_events($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[])',
          columns,
        ],
        () => (retried = true),
      );
    } catch (error) {
      // A commit whose reply was lost looks like a conflict on the retry: the rows are ours.
      if (!retried || !(await this.#alreadyStored(error, events, columns[5])))
        throw toAppendError(error, events);
    }
    this.#fanOut.published(events);
    this.#live.publish(events);
  }

  /** Up to `limit` (default 1000) events of a session with `seq > afterSeq` (default 0), in order. */
  async read(sessionId: string, afterSeq = 0, limit = DEFAULT_READ_LIMIT): Promise<AnyEvent[]> {
    this.#assertOpen();
    const { rows } = await this.#database.query<Row>(`read session ${sessionId}`, [
      'SELECT seq, body FROM switchboard_events WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [sessionId, afterSeq, limit],
    ]);
    return rows.map((row) => parseStoredEvent(Number(row.seq), row.body, sessionId));
  }

  /** Every stored event of one run of a session, in `seq` order. */
  async readRun(sessionId: string, runId: string): Promise<AnyEvent[]> {
    this.#assertOpen();
    const { rows } = await this.#database.query<Row>(`read run ${runId}`, [
      'SELECT seq, body FROM switchboard_events WHERE session_id = $1 AND run_id = $2 ORDER BY seq',
      [sessionId, runId],
    ]);
    return rows.map((row) => parseStoredEvent(Number(row.seq), row.body, sessionId));
  }

  /** The last stored `seq` and `ts` of a session (`{seq: 0, ts: 0}` when empty), as of now. */
  async head(sessionId: string): Promise<SequenceHead> {
    this.#assertOpen();
    const { rows } = await this.#database.query<{ seq: string; ts: string }>(
      `read the head of session ${sessionId}`,
      [
        'SELECT seq, ts FROM switchboard_events WHERE session_id = $1 ORDER BY seq DESC LIMIT 1',
        [sessionId],
      ],
    );
    const row = rows[0];
    return row ? { seq: Number(row.seq), ts: Number(row.ts) } : { seq: 0, ts: 0 };
  }

  /** Ids of the sessions with at least one stored event, in ascending id order. */
  async sessions(): Promise<string[]> {
    this.#assertOpen();
    const { rows } = await this.#database.query<{ session_id: string }>('list sessions', [
      'SELECT DISTINCT session_id FROM switchboard_events ORDER BY session_id',
    ]);
    return rows.map((row) => row.session_id);
  }

  /** Deletes every stored event of a session and returns how many. */
  async deleteSession(sessionId: string): Promise<number> {
    this.#assertOpen();
    const result = await this.#database.query(`delete session ${sessionId}`, [
      'DELETE FROM switchboard_events WHERE session_id = $1',
      [sessionId],
    ]);
    this.#fanOut.forget(sessionId);
    return result.rowCount ?? 0;
  }

  /**
   * Replays stored events after `afterSeq`, then follows appends made by any
   * instance, without gaps or duplicates, until `signal` aborts or the log closes.
   */
  subscribe(sessionId: string, options?: SubscribeOptions): AsyncIterable<AnyEvent> {
    return replayThenLive(
      {
        read: (id, after, limit) => (this.#closed ? [] : this.read(id, after, limit)),
        listen: (id, listener) => this.#fanOut.listen(id, listener),
        closed: this.#live.closed,
      },
      sessionId,
      options,
    );
  }

  /** `await using` support: the same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Ends every subscription and, if the log opened its own database, closes it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#fanOut.close();
    this.#live.close();
    if (this.#ownsDatabase) await this.#database.close();
  }

  async #heads(sessionIds: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.#database.query<{ session_id: string; seq: string }>('read heads', [
      `SELECT s.id AS session_id,
         (SELECT coalesce(max(e.seq), 0) FROM switchboard_events AS e WHERE e.session_id = s.id) AS seq
       FROM unnest($1::text[]) AS s(id)`,
      [sessionIds],
    ]);
    return new Map(rows.map((row) => [row.session_id, Number(row.seq)]));
  }

  /** After a failed attempt: whether the batch is in fact stored, exactly (its commit's reply was lost). */
  async #alreadyStored(
    error: unknown,
    events: readonly AnyEvent[],
    bodies: readonly string[],
  ): Promise<boolean> {
    const state = (error as { details?: { sqlState?: string } }).details?.sqlState;
    if (state !== 'SBSEQ' && state !== '23505') return false;
    const first = events[0]!;
    const stored = await this.read(first.sessionId, first.seq - 1, events.length).catch(() => []);
    const mine = events.flatMap((event, index) =>
      event.sessionId === first.sessionId ? [bodies[index]] : [],
    );
    return (
      mine.length === stored.length &&
      stored.every((event, index) => JSON.stringify(event) === mine[index]) &&
      events.every((event) => event.sessionId === first.sessionId)
    );
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new EventsError({
        code: 'EVENTS_CLOSED',
        message: 'The PostgreSQL event log is closed.',
      });
  }
}
