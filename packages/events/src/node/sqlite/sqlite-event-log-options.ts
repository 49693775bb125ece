import { z } from 'zod';

/**
 * The parts of a better-sqlite3 `Database` the log relies on. Declared here,
 * not imported, so the public types compile for someone who never installed
 * better-sqlite3 or its types (it is an optional peer dependency).
 */
export interface SqliteDatabase {
  /** The file the connection opened (used in error messages). */
  readonly name: string;
  prepare(source: string): unknown;
  transaction(fn: (...args: never[]) => unknown): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  exec(source: string): unknown;
  close(): unknown;
}

// Duck-typed rather than `instanceof` so a connection from another installed
// copy of better-sqlite3 is accepted too.
const isDatabase = (value: unknown): value is SqliteDatabase =>
  typeof value === 'object' &&
  value != null &&
  'prepare' in value &&
  typeof value.prepare === 'function' &&
  'transaction' in value &&
  typeof value.transaction === 'function' &&
  'pragma' in value &&
  typeof value.pragma === 'function';

/** What you pass to `new SqliteEventLog(options)`: exactly one of `path` or `database`. */
export interface SqliteEventLogOptions {
  /** Database file to open (created if missing), or `':memory:'` for a private in-memory store. */
  path?: string;
  /** An open better-sqlite3 connection to share; the log leaves its pragmas alone and does not close it. */
  database?: SqliteDatabase;
  /** How long (ms) a write waits for another connection's write lock. @default 5000 */
  busyTimeoutMs?: number;
}

/** Options after parsing. */
export interface ResolvedSqliteEventLogOptions extends SqliteEventLogOptions {
  busyTimeoutMs: number;
}

/** Options of {@link SqliteEventLog}, parsed once by its constructor. Pass exactly one of `path` or `database`. */
export const sqliteEventLogOptionsSchema: z.ZodType<
  ResolvedSqliteEventLogOptions,
  SqliteEventLogOptions
> = z
  .object({
    /** Database file to open (created if missing), or `':memory:'` for a private in-memory store. */
    path: z.string().min(1).optional(),
    /**
     * An open better-sqlite3 connection to share. The log creates its table
     * in it but leaves the connection's pragmas alone and does not close it.
     */
    database: z
      .custom<SqliteDatabase>(isDatabase, 'Expected an open better-sqlite3 Database')
      .optional(),
    /**
     * How long (ms) a write waits for another connection's write lock before
     * failing. Applies only when the log opens the file itself. @default 5000
     */
    busyTimeoutMs: z.number().int().nonnegative().default(5000),
  })
  .refine((options) => (options.path === undefined) !== (options.database === undefined), {
    message: 'Pass exactly one of `path` or `database`.',
  });
