// @switchboard/events/node: the Node-only parts of the contract (files, SQLite).

export { SqliteEventLog } from './node/sqlite/sqlite-event-log.js';
export { sqliteEventLogOptionsSchema } from './node/sqlite/sqlite-event-log-options.js';
export type {
  SqliteDatabase,
  SqliteEventLogOptions,
} from './node/sqlite/sqlite-event-log-options.js';
export { SQLITE_SCHEMA_VERSION } from './node/sqlite/sqlite-schema-version.js';
export { JsonlSink } from './node/jsonl/jsonl-sink.js';
export { jsonlSinkOptionsSchema } from './node/jsonl/jsonl-sink-options.js';
export type { JsonlBackfillSource, JsonlSinkOptions } from './node/jsonl/jsonl-sink-options.js';
export { readJsonlEventArray, readJsonlEvents } from './node/jsonl/read-jsonl.js';
export type { ReadJsonlOptions } from './node/jsonl/read-jsonl.js';
export { jsonlFileName, listJsonlFiles } from './node/jsonl/jsonl-files.js';
export { DEFAULT_MAX_LINE_BYTES } from './node/jsonl/jsonl-lines.js';
export {
  applyJsonlRetention,
  deleteJsonlSeries,
  jsonlRetentionSchema,
} from './node/jsonl/jsonl-retention.js';
export type { JsonlRetention } from './node/jsonl/jsonl-retention.js';
