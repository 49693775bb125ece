import { describe, expect, it } from 'vitest';
import type { AnyEvent } from '../schema/agent-event.js';
import { MemoryEventLog } from './memory-event-log.js';

// The EventLog contract itself is proven by the shared conformance suite
// (memory-event-log.conformance.test.ts); this file covers what is memory-only.
const ev = (sessionId: string, seq: number) =>
  ({
    v: 1,
    type: 'notice',
    seq,
    ts: seq,
    sessionId,
    runId: 'r',
    data: { severity: 'info', message: String(seq) },
  }) as AnyEvent;

describe('MemoryEventLog', () => {
  it('lists sessions in first-append order and forgets deleted ones', () => {
    const log = new MemoryEventLog();
    log.append([ev('b', 1), ev('a', 1), ev('b', 2)]);
    expect(log.sessions()).toEqual(['b', 'a']);
    log.deleteSession('b');
    expect(log.sessions()).toEqual(['a']);
  });
});
