import type pg from 'pg';

/** The advisory lock key every instance takes while migrating (`hashtext('switchboard.migrate')` fixed). */
export const MIGRATION_LOCK_KEY = 7_245_113_802_611;

/** One schema change; applied once, in order, inside a transaction. */
interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The schema, as versioned steps. A step is never edited once released: a
 * change is a new step. Event bodies are stored as text (not jsonb) so they
 * come back byte for byte, unknown fields and key order included.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events, sessions, transcript entries',
    sql: `
      CREATE TABLE switchboard_events (
        session_id text NOT NULL,
        seq bigint NOT NULL,
        ts bigint NOT NULL,
        type text NOT NULL,
        run_id text,
        body text NOT NULL,
        PRIMARY KEY (session_id, seq)
      );
      CREATE INDEX switchboard_events_by_run ON switchboard_events (session_id, run_id, seq);
      CREATE TABLE switchboard_sessions (
        session_id text PRIMARY KEY,
        agent_name text NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        snapshot text NOT NULL,
        revision bigint NOT NULL DEFAULT 0,
        lease_owner text,
        lease_expires bigint NOT NULL DEFAULT 0,
        entry_count integer NOT NULL DEFAULT 0,
        title text,
        title_folded text,
        title_source text,
        model text,
        message_count integer NOT NULL DEFAULT 0,
        cost_usd double precision,
        status text NOT NULL DEFAULT 'idle'
      );
      CREATE INDEX switchboard_sessions_recent
        ON switchboard_sessions (updated_at DESC, session_id ASC);
      CREATE TABLE switchboard_session_entries (
        session_id text NOT NULL,
        position integer NOT NULL,
        entry text NOT NULL,
        PRIMARY KEY (session_id, position)
      );
      -- One round trip per batch: checks that each session's first event
      -- continues its stored head, inserts every row, and notifies listeners
      -- ("first:last:session") once the transaction commits. Duplicates are
      -- refused by the primary key, so two writers can never both store a seq.
      CREATE FUNCTION switchboard_append_events(
        p_session text[], p_seq bigint[], p_ts bigint[], p_type text[], p_run text[], p_body text[]
      ) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        r record;
        stored bigint;
      BEGIN
        FOR r IN
          SELECT s.session_id, min(s.seq) AS first_seq, max(s.seq) AS last_seq
          FROM unnest(p_session, p_seq) AS s(session_id, seq) GROUP BY s.session_id
        LOOP
          SELECT coalesce(max(e.seq), 0) INTO stored
          FROM switchboard_events AS e WHERE e.session_id = r.session_id;
          IF stored + 1 <> r.first_seq THEN
            RAISE EXCEPTION 'Session %: expected seq %, got %.', r.session_id, stored + 1, r.first_seq
              USING ERRCODE = 'SBSEQ', DETAIL = json_build_object(
                'sessionId', r.session_id, 'expected', stored + 1, 'got', r.first_seq)::text;
          END IF;
        END LOOP;
        INSERT INTO switchboard_events (session_id, seq, ts, type, run_id, body)
        SELECT * FROM unnest(p_session, p_seq, p_ts, p_type, p_run, p_body);
        FOR r IN
          SELECT s.session_id, min(s.seq) AS first_seq, max(s.seq) AS last_seq
          FROM unnest(p_session, p_seq) AS s(session_id, seq) GROUP BY s.session_id
        LOOP
          PERFORM pg_notify('switchboard_events', r.first_seq || ':' || r.last_seq || ':' || r.session_id);
        END LOOP;
      END
      $fn$;
    `,
  },
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/**
 * Brings the schema to {@link SCHEMA_VERSION} on one connection. Every
 * instance may call it at start: a session-level advisory lock makes
 * concurrent starters wait for each other, each step runs in its own
 * transaction and is recorded in `switchboard_migrations`, so a step runs
 * exactly once. A database migrated by a newer build is refused (returns
 * its version) rather than touched.
 */
export async function migrate(client: pg.ClientBase): Promise<{ from: number; to: number }> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS switchboard_migrations (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM switchboard_migrations',
    );
    const from = rows[0]?.version ?? 0;
    if (from > SCHEMA_VERSION)
      throw new Error(
        `the database schema is at version ${from}, newer than this build's ${SCHEMA_VERSION}; upgrade @switchboard/postgres`,
      );
    for (const step of MIGRATIONS) {
      if (step.version <= from) continue;
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await client.query(
          'INSERT INTO switchboard_migrations (version, description) VALUES ($1, $2)',
          [step.version, step.description],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    }
    return { from, to: SCHEMA_VERSION };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
  }
}
