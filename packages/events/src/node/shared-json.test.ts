import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../bus/event-bus.js';
import type { AnyEvent } from '../schema/agent-event.js';
import { JsonlSink } from './jsonl/jsonl-sink.js';
import { SqliteEventLog } from './sqlite/sqlite-event-log.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-json-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('bus → SQLite log + JSONL sink', () => {
  it('serialises each event once: the log row and the JSONL line are the same text', async () => {
    const log = new SqliteEventLog({ path: path.join(root, 'events.db') });
    const sink = await JsonlSink.open(path.join(root, 'events.jsonl'));
    const stringify = vi.spyOn(JSON, 'stringify');
    const bus = new EventBus({ log, sinks: [sink] });
    for (let index = 0; index < 200; index++) {
      bus.emit({
        type: 'message.delta',
        sessionId: 'ses-shared',
        runId: 'r',
        data: { messageId: 'm', delta: `chunk ${index} é ✓` },
      });
    }
    await bus.flush();
    await sink.close();
    const stampedSerialised = stringify.mock.calls.filter(([value]) => {
      const event = value as Partial<AnyEvent> | null;
      return event?.sessionId === 'ses-shared' && event.seq !== undefined;
    });
    expect(stampedSerialised).toHaveLength(200);
    log.close();
    const db = new Database(path.join(root, 'events.db'), { readonly: true });
    const rows = db
      .prepare('SELECT body FROM events WHERE session_id = ? ORDER BY seq')
      .pluck()
      .all('ses-shared');
    db.close();
    const lines = fs.readFileSync(path.join(root, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(200);
    expect(lines).toEqual(rows);
  });
});
