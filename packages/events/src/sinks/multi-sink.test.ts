import { describe, expect, it } from 'vitest';
import type { EventsError } from '../errors/events-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import type { EventSink } from './event-sink.js';
import { MultiSink } from './multi-sink.js';

const event = (seq: number) =>
  ({ v: 1, type: 'notice', seq, ts: seq, sessionId: 's', runId: 'r', data: {} }) as AnyEvent;

const recorder = (log: string[], name: string, delayMs = 0): EventSink => ({
  write: (e) =>
    delayMs
      ? new Promise<void>((resolve) =>
          setTimeout(() => (log.push(`${name}:${e.seq}`), resolve()), delayMs),
        )
      : void log.push(`${name}:${e.seq}`),
});

describe('MultiSink', () => {
  it('fans out in the given order, synchronously when every sink is synchronous', () => {
    const log: string[] = [];
    const multi = new MultiSink({ sinks: [recorder(log, 'a'), recorder(log, 'b')] });
    expect(multi.write(event(1))).toBeUndefined();
    expect(log).toEqual(['a:1', 'b:1']);
    expect(multi.size).toBe(2);
  });

  it('awaits asynchronous sinks one after the other, keeping order', async () => {
    const log: string[] = [];
    const multi = new MultiSink({ sinks: [recorder(log, 'slow', 10), recorder(log, 'fast')] });
    await multi.write(event(1));
    expect(log).toEqual(['slow:1', 'fast:1']);
  });

  it('reports a throwing or rejecting sink and still serves the others', async () => {
    const log: string[] = [];
    const errors: EventsError[] = [];
    const multi = new MultiSink({
      sinks: [
        {
          write: () => {
            throw new Error('disk full');
          },
        },
        { write: () => Promise.reject(new Error('network')) },
        recorder(log, 'ok'),
      ],
      onError: (error) => errors.push(error),
    });
    await multi.write(event(3));
    expect(log).toEqual(['ok:3']);
    expect(errors.map((e) => [e.code, e.details?.sinkIndex, e.details?.seq])).toEqual([
      ['EVENTS_SINK_FAILED', 0, 3],
      ['EVENTS_SINK_FAILED', 1, 3],
    ]);
    expect(errors[0]!.message).toContain('disk full');
  });

  it('flushes and closes every child', async () => {
    const calls: string[] = [];
    const child = (name: string): EventSink => ({
      write: () => {},
      flush: () => {
        calls.push(`flush:${name}`);
        return Promise.resolve();
      },
      close: () => void calls.push(`close:${name}`),
    });
    const multi = new MultiSink({ sinks: [child('a'), child('b'), { write: () => {} }] });
    await multi.flush();
    await multi.close();
    expect(calls).toEqual(['flush:a', 'flush:b', 'close:a', 'close:b']);
  });

  it("hands every sink the event's JSON as it was given", async () => {
    const seen: (string | undefined)[] = [];
    const keep: EventSink = { write: (_e, json) => void seen.push(json) };
    const later: EventSink = {
      write: async (_e, json) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(json);
      },
    };
    const multi = new MultiSink([keep, later, keep]);
    await multi.write(event(1), '{"seq":1}');
    expect(seen).toEqual(['{"seq":1}', '{"seq":1}', '{"seq":1}']);
  });

  it('takes an options object; bad options throw EVENTS_INVALID_OPTIONS', () => {
    expect(new MultiSink({ sinks: [] }).size).toBe(0);
    expect(() => new MultiSink({ sinks: [{ write: () => {} }], onError: 'log' } as never)).toThrow(
      expect.objectContaining({
        code: 'EVENTS_INVALID_OPTIONS',
        message: expect.stringContaining('onError'),
      }),
    );
    expect(() => new MultiSink({} as never)).toThrow(
      expect.objectContaining({
        code: 'EVENTS_INVALID_OPTIONS',
        message: expect.stringContaining('sinks'),
      }),
    );
  });
});
