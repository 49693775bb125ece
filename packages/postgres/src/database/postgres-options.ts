import { z } from 'zod';

/** TLS settings passed to node-postgres as they are (`ssl`). */
const tlsSchema = z.union([
  z.boolean(),
  z.looseObject({
    rejectUnauthorized: z.boolean().optional(),
    ca: z.union([z.string(), z.array(z.string())]).optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
    servername: z.string().optional(),
  }),
]);

/** Options of `new PostgresDatabase(options)`. */
export const postgresDatabaseOptionsSchema = z.object({
  /** `postgres://user:password@host:port/database?sslmode=…` (libpq URL). */
  connectionString: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL'),
  /** TLS: `true`, or node-postgres's TLS options (`ca`, `cert`, `key`, `rejectUnauthorized`, …). */
  ssl: tlsSchema.optional(),
  /** Connection pool. */
  pool: z
    .object({
      /** Most connections this process opens (plus one for LISTEN). @default 10 */
      max: z.number().int().positive().default(10),
      /** Closes a connection idle this long (ms). @default 30000 */
      idleTimeoutMs: z.number().int().nonnegative().default(30_000),
      /** Gives up opening a connection after this long (ms). @default 5000 */
      connectTimeoutMs: z.number().int().positive().default(5_000),
    })
    .prefault({}),
  /**
   * Retrying a statement whose connection was lost or refused: exponential
   * backoff from `initialDelayMs`, doubling up to `maxDelayMs`, for at most
   * `maxElapsedMs` in all, then the statement fails with `PG_CONNECTION_LOST`.
   */
  retry: z
    .object({
      initialDelayMs: z.number().int().positive().default(50),
      maxDelayMs: z.number().int().positive().default(2_000),
      maxElapsedMs: z.number().int().nonnegative().default(30_000),
    })
    .prefault({}),
  /** Name of the application in `pg_stat_activity`. @default 'switchboard' */
  applicationName: z.string().min(1).default('switchboard'),
  /**
   * Hears every connection loss, retry and recovery (a `PostgresError`);
   * nothing is ever thrown at the process for them.
   */
  onError: z.custom<(error: Error) => void>((value) => typeof value === 'function').optional(),
});

/** What you pass to `new PostgresDatabase(options)`. */
export type PostgresDatabaseOptions = z.input<typeof postgresDatabaseOptionsSchema>;
/** {@link PostgresDatabaseOptions} with defaults applied. */
export type ResolvedPostgresDatabaseOptions = z.output<typeof postgresDatabaseOptionsSchema>;
