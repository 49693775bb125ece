// @switchboard/postgres: PostgreSQL storage for several Switchboard instances sharing one database.

export { PostgresDatabase } from './database/postgres-database.js';
export { postgresDatabaseOptionsSchema } from './database/postgres-options.js';
export type {
  PostgresDatabaseOptions,
  ResolvedPostgresDatabaseOptions,
} from './database/postgres-options.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './database/migrations.js';
export { readSchemaStatus } from './database/schema-status.js';
export type { SchemaStatus } from './database/schema-status.js';
export { EVENTS_CHANNEL, PostgresEventLog } from './event-log/postgres-event-log.js';
export type { PostgresEventLogOptions } from './event-log/postgres-event-log.js';
export { PostgresSessionStore } from './session-store/postgres-session-store.js';
export type { PostgresSessionStoreOptions } from './session-store/postgres-session-store.js';
export { openPostgresStores } from './open-postgres-stores.js';
export type { PostgresStores } from './open-postgres-stores.js';
export { PG_ERROR_CODES, PostgresError } from './errors/postgres-error.js';
export type { PostgresErrorCode } from './errors/postgres-error.js';
