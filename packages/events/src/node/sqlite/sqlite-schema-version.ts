/**
 * Schema version this package writes, kept in SQLite's `user_version` pragma.
 * In its own file so the public entry can export it without pulling the
 * migration code's better-sqlite3 types into the declaration files.
 */
export const SQLITE_SCHEMA_VERSION = 1;
