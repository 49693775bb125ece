import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { EventsError } from '../../errors/events-error.js';

let constructor: typeof Database | undefined;

/**
 * Loads better-sqlite3 on first use. It is an optional peer dependency, so
 * importing `@switchboard/events/node` (the JSONL sink, say) must work without
 * it; only opening a SQLite file needs it, and then a missing package is a
 * coded error that says what to install rather than a bare module error.
 */
export function loadBetterSqlite3(): typeof Database {
  if (constructor) return constructor;
  try {
    // `require` is untyped; the type-only import above names what it returns.
    constructor = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    throw new EventsError({
      code: 'EVENTS_SQLITE_UNAVAILABLE',
      message:
        'SqliteEventLog needs the better-sqlite3 package, which is not installed. Install it next to @switchboard/events: npm install better-sqlite3',
      cause: error,
    });
  }
  return constructor;
}

const isModuleNotFound = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'MODULE_NOT_FOUND';
