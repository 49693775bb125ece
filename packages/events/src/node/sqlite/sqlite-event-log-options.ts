import type Database from 'better-sqlite3';
import { z } from 'zod';

/** A better-sqlite3 connection (named so declaration files can refer to it). */
export type SqliteDatabase = Database.Database;

// Duck-typed rather than `instanceof` so a connection from another installed
// copy of better-sqlite3 is accepted too.
const isDatabase = (value: unknown): value is Database.Database =>
  typeof value === 'object' &&
  value != null &&
  typeof (value as Database.Database).prepare === 'function' &&
  typeof (value as Database.Database).transaction === 'function' &&
  typeof (value as Database.Database).pragma === 'function';

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
