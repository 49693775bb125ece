import { setTimeout as sleep } from 'node:timers/promises';
import { SwitchboardError } from '@switchboard/events';
import pg from 'pg';
import {
  isConnectionError,
  parsePostgresOptions,
  PostgresError,
  toPostgresError,
} from '../errors/postgres-error.js';
import { migrate } from './migrations.js';
import {
  postgresDatabaseOptionsSchema,
  type PostgresDatabaseOptions,
  type ResolvedPostgresDatabaseOptions,
} from './postgres-options.js';

/** A row-returning query: text and parameters (always parameterised). */
export type Query = [text: string, params?: readonly unknown[]];

/** Called with each notification payload of a channel; `reconnected` after a LISTEN connection was re-established. */
export interface ChannelListener {
  notify(payload: string): void;
  /** The LISTEN connection came back: notifications may have been missed meanwhile. */
  reconnected(): void;
}

/**
 * One PostgreSQL database shared by the event log and the session store of a
 * process: a connection pool, the schema (migrated once, at first use, safe
 * when several instances start at once), statement retries when a
 * connection is lost or refused (exponential backoff, each failure reported
 * to `onError`, never thrown at the process), and one LISTEN connection that
 * reconnects by itself.
 *
 * ```ts
 * const database = new PostgresDatabase({ connectionString: process.env.SWITCHBOARD_DATABASE_URL! });
 * const log = new PostgresEventLog({ database });
 * const store = new PostgresSessionStore({ database });
 * ```
 */
export class PostgresDatabase {
  readonly #options: ResolvedPostgresDatabaseOptions;
  readonly #pool: pg.Pool;
  #ready: Promise<void> | undefined;
  #closed = false;
  readonly #channels = new Map<string, Set<ChannelListener>>();
  #listener: pg.Client | undefined;
  #listening: Promise<void> | undefined;

  constructor(options: PostgresDatabaseOptions) {
    this.#options = parsePostgresOptions(postgresDatabaseOptionsSchema, options);
    const { pool, ssl, connectionString, applicationName } = this.#options;
    this.#pool = new pg.Pool({
      connectionString,
      ...(ssl === undefined ? {} : { ssl }),
      max: pool.max,
      idleTimeoutMillis: pool.idleTimeoutMs,
      connectionTimeoutMillis: pool.connectTimeoutMs,
      application_name: applicationName,
    });
    // Every pooled connection gets one `error` listener for its whole life, so
    // a connection that breaks (a server restart) never crashes the process.
    // pg-pool's own listeners leave a gap: between handing a connection out
    // and the caller's listener, the rest of the packet that made it ready is
    // parsed, and a server that shuts down sends its FATAL right there.
    this.#pool.on('connect', (client) =>
      client.on('error', (error) => this.#report(toPostgresError(error, 'keep a connection'))),
    );
    // Reported by the listener above; pg-pool re-emits an idle connection's error here.
    this.#pool.on('error', () => {});
  }

  /** Creates or upgrades the schema once (every statement waits for it). `PG_MIGRATION_FAILED` on failure. */
  ready(): Promise<void> {
    this.#ready ??= this.#retry('migrate the schema', async () => {
      const { client, release } = await this.#checkout();
      try {
        await migrate(client);
      } catch (error) {
        if (isConnectionError(error)) throw error;
        throw new PostgresError({
          code: 'PG_MIGRATION_FAILED',
          message: `PostgreSQL: the schema migration failed: ${(error as Error).message}`,
          cause: error,
        });
      } finally {
        release(false);
      }
    }).catch((error: unknown) => {
      this.#ready = undefined; // a later call tries again
      throw error;
    });
    return this.#ready;
  }

  /**
   * Runs one statement (after the schema is ready), retrying on a lost
   * connection; `onRetry` hears each retry (the statement may have committed
   * before its connection broke).
   */
  async query<Row extends pg.QueryResultRow>(
    action: string,
    [text, params = []]: Query,
    onRetry?: () => void,
  ): Promise<pg.QueryResult<Row>> {
    await this.ready();
    let attempts = 0;
    return this.#retry(action, () => {
      if (attempts++ > 0) onRetry?.();
      return this.#pool.query<Row>(text, params as unknown[]);
    });
  }

  /**
   * Runs `work` in one transaction on one connection (BEGIN … COMMIT, rolled
   * back if it throws). Retried as a whole when the connection is lost
   * before the commit is confirmed, so `work` must be safe to run again.
   */
  async transaction<T>(action: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ready();
    return this.#retry(action, async () => {
      const { client, release } = await this.#checkout();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        broken = isConnectionError(error);
        if (!broken) await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        release(broken);
      }
    });
  }

  /**
   * A pooled connection, marked broken when it emits `error` while checked
   * out (a server ending it between two statements): the broken connection is
   * dropped on release, and the statement that used it fails and is retried.
   */
  async #checkout(): Promise<{
    client: pg.PoolClient;
    release: (broken: boolean) => void;
  }> {
    const client = await this.#pool.connect();
    let lost = false;
    // Reported by the connection's own listener (constructor); here it only
    // marks the connection broken, so it is dropped on release.
    const onError = () => {
      lost = true;
    };
    client.on('error', onError);
    return {
      client,
      release: (broken) => {
        client.off('error', onError);
        client.release(broken || lost);
      },
    };
  }

  /**
   * Listens on `channel` with the shared LISTEN connection; returns the
   * unsubscribe. When that connection breaks it is re-opened with backoff and
   * every listener's `reconnected` runs, so it can read what it missed.
   */
  listen(channel: string, listener: ChannelListener): () => void {
    this.#assertOpen();
    let set = this.#channels.get(channel);
    if (!set) this.#channels.set(channel, (set = new Set()));
    set.add(listener);
    void this.#ensureListening();
    return () => {
      set.delete(listener);
    };
  }

  /** Resolves once the LISTEN connection is up (tests and benches wait for it before appending). */
  async listening(): Promise<void> {
    await this.#ensureListening();
  }

  /** `await using` support: the same as {@link close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Closes the LISTEN connection and the pool. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end().catch(() => {});
    await this.#pool.end().catch(() => {});
  }

  get closed(): boolean {
    return this.#closed;
  }

  #ensureListening(): Promise<void> {
    this.#listening ??= this.#connectListener().finally(() => {
      if (!this.#listener) this.#listening = undefined;
    });
    return this.#listening;
  }

  async #connectListener(): Promise<void> {
    const { connectionString, ssl, applicationName, pool } = this.#options;
    await this.#retry('open the LISTEN connection', async () => {
      const client = new pg.Client({
        connectionString,
        ...(ssl === undefined ? {} : { ssl }),
        application_name: `${applicationName}-listen`,
        connectionTimeoutMillis: pool.connectTimeoutMs,
      });
      client.on('error', (error) =>
        this.#report(toPostgresError(error, 'keep the LISTEN connection')),
      );
      try {
        await client.connect();
        for (const channel of this.#channels.keys())
          await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      }
      if (this.#closed) {
        await client.end().catch(() => {});
        return;
      }
      client.on('notification', ({ channel, payload }) => {
        for (const listener of this.#channels.get(channel) ?? []) listener.notify(payload ?? '');
      });
      client.once('end', () => {
        if (this.#listener !== client || this.#closed) return;
        this.#listener = undefined;
        this.#listening = undefined;
        void this.#ensureListening().then(
          () => {
            for (const set of this.#channels.values())
              for (const listener of set) listener.reconnected();
          },
          () => {},
        );
      });
      this.#listener = client;
    });
  }

  /** Runs `operation`, retrying lost or refused connections with backoff until `maxElapsedMs`. */
  async #retry<T>(action: string, operation: () => Promise<T>): Promise<T> {
    const { initialDelayMs, maxDelayMs, maxElapsedMs } = this.#options.retry;
    const started = Date.now();
    let delay = initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      this.#assertOpen();
      try {
        const result = await operation();
        if (attempt > 1)
          this.#report(
            new PostgresError({
              code: 'PG_CONNECTION_LOST',
              message: `PostgreSQL: recovered: ${action} succeeded on attempt ${attempt}.`,
              retryable: true,
              details: { action, attempt, recovered: true },
            }),
          );
        return result;
      } catch (error) {
        if (this.#closed)
          throw new PostgresError({
            code: 'PG_CLOSED',
            message: 'The PostgreSQL database handle is closed.',
            cause: error,
          });
        if (SwitchboardError.isInstance(error)) throw error; // the store's own verdict (a conflict)
        if (!isConnectionError(error) || Date.now() - started + delay > maxElapsedMs)
          throw toPostgresError(error, action);
        const report = toPostgresError(error, action);
        report.details!.attempt = attempt;
        report.details!.retryInMs = delay;
        this.#report(report);
        await sleep(delay);
        delay = Math.min(delay * 2, maxDelayMs);
      }
    }
  }

  #report(error: PostgresError): void {
    try {
      this.#options.onError?.(error);
    } catch {
      // A throwing reporter must not take the database down with it.
    }
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new PostgresError({
        code: 'PG_CLOSED',
        message: 'The PostgreSQL database handle is closed.',
      });
  }
}
