// @switchboard/events/node: the Node-only parts of the contract (files, SQLite).

export { SqliteEventLog } from './node/sqlite/sqlite-event-log.js';
export { sqliteEventLogOptionsSchema } from './node/sqlite/sqlite-event-log-options.js';
export type {
  SqliteDatabase,
  SqliteEventLogOptions,
} from './node/sqlite/sqlite-event-log-options.js';
export { SQLITE_SCHEMA_VERSION } from './node/sqlite/sqlite-schema.js';
