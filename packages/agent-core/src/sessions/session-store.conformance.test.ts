import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { describeSessionStoreConformance } from '../conformance/session-store-conformance.js';
import { MemorySessionStore } from './memory-session-store.js';
import { SqliteSessionStore } from './sqlite-session-store.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-store-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

await describeSessionStoreConformance('MemorySessionStore', {
  create: (options) => new MemorySessionStore(options),
});
await describeSessionStoreConformance('SqliteSessionStore', {
  create: (options) =>
    new SqliteSessionStore({ path: path.join(dir, `${++files}.db`), ...options }),
});
