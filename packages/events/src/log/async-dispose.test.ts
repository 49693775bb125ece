import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../bus/event-bus.js';
import { JsonlSink } from '../node/jsonl/jsonl-sink.js';
import { SqliteEventLog } from '../node/sqlite/sqlite-event-log.js';
import { MemoryEventLog } from './memory-event-log.js';

const delta = (sessionId: string) =>
  ({
    type: 'message.delta',
    sessionId,
    runId: `run-${sessionId}`,
    data: { messageId: 'm', delta: 'hi' },
  }) as const;

const dir = mkdtempSync(path.join(tmpdir(), 'sb-dispose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// `await using` closes each resource when its block ends, in reverse order, so
// a script cannot forget to flush the sink or release the database file.
describe('Symbol.asyncDispose', () => {
  it('closes the bus, the sink and the logs at the end of the block', async () => {
    let bus: EventBus;
    let sink: JsonlSink;
    let memory: MemoryEventLog;
    let sqlite: SqliteEventLog;
    {
      await using s = await JsonlSink.open(path.join(dir, 'events'));
      await using m = new MemoryEventLog();
      await using q = new SqliteEventLog({ path: path.join(dir, 'events.db') });
      await using b = new EventBus({ log: m, sinks: [s] });
      [bus, sink, memory, sqlite] = [b, s, m, q];
      b.emit(delta('s1'));
    }
    expect(() => bus.emit(delta('s2'))).toThrow(expect.objectContaining({ code: 'EVENTS_CLOSED' }));
    expect(() => sink.write(memory.read('s1')[0]!)).toThrow(
      expect.objectContaining({ code: 'EVENTS_CLOSED' }),
    );
    expect(memory.read('s1')).toHaveLength(1);
    expect(() => sqlite.read('s1')).toThrow(expect.objectContaining({ code: 'EVENTS_CLOSED' }));
  });
});
