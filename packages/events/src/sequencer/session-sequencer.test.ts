import { describe, expect, it } from 'vitest';
import { SessionSequencer } from './session-sequencer.js';

const draft = (n: number) =>
  ({
    type: 'notice',
    sessionId: 's',
    runId: 'r',
    data: { severity: 'info', message: `#${n}` },
  }) as const;

describe('SessionSequencer', () => {
  it('numbers events contiguously from 1 and stamps v and ts', () => {
    let clock = 1000;
    const sequencer = new SessionSequencer({ sessionId: 's', now: () => (clock += 5) });
    const events = [1, 2, 3].map((n) => sequencer.stamp(draft(n)));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.ts)).toEqual([1005, 1010, 1015]);
    expect(events.every((e) => e.v === 1)).toBe(true);
    expect(sequencer.head).toEqual({ seq: 3, ts: 1015 });
  });

  it('never lets ts go backwards when the wall clock does', () => {
    const clock = [5000, 4000, 4500, 6000];
    const sequencer = new SessionSequencer({ sessionId: 's', now: () => clock.shift()! });
    expect([1, 2, 3, 4].map((n) => sequencer.stamp(draft(n)).ts)).toEqual([5000, 5000, 5000, 6000]);
  });

  it('continues from a restored head', () => {
    const sequencer = new SessionSequencer({
      sessionId: 's',
      head: { seq: 41, ts: 9000 },
      now: () => 1,
    });
    expect(sequencer.stamp(draft(1))).toMatchObject({ seq: 42, ts: 9000 });
  });

  it('puts envelope keys first, in a fixed order, and omits absent optional keys', () => {
    const sequencer = new SessionSequencer({ sessionId: 's', now: () => 7 });
    const event = sequencer.stamp({ ...draft(1), stepIndex: 2, meta: { 'x.y': 1 } });
    expect(Object.keys(event)).toEqual([
      'v',
      'type',
      'seq',
      'ts',
      'sessionId',
      'runId',
      'stepIndex',
      'data',
      'meta',
    ]);
    expect(JSON.stringify(sequencer.stamp(draft(2)))).not.toContain('undefined');
  });

  it('rewinds to reuse numbers of events that were never stored, but never forward', () => {
    const sequencer = new SessionSequencer({ sessionId: 's', now: () => 7 });
    sequencer.stamp(draft(1));
    sequencer.stamp(draft(2));
    sequencer.rewind({ seq: 1, ts: 7 });
    expect(sequencer.stamp(draft(3)).seq).toBe(2);
    expect(() => sequencer.rewind({ seq: 10, ts: 7 })).toThrow(RangeError);
  });

  it('takes an options object; bad options throw EVENTS_INVALID_OPTIONS naming the key', () => {
    expect(new SessionSequencer({ sessionId: 's' }).head).toEqual({ seq: 0, ts: 0 });
    expect(() => new SessionSequencer({ sessionId: 's', head: { seq: -1, ts: 0 } })).toThrow(
      expect.objectContaining({
        code: 'EVENTS_INVALID_OPTIONS',
        message: expect.stringContaining('head.seq'),
      }),
    );
    expect(() => new SessionSequencer({ sessionId: 7 } as never)).toThrow(
      expect.objectContaining({ code: 'EVENTS_INVALID_OPTIONS' }),
    );
  });

  it('still takes the positional (sessionId, head, now) of 1.0', () => {
    const sequencer = new SessionSequencer('s', { seq: 2, ts: 10 }, () => 20);
    expect(sequencer.stamp(draft(1))).toMatchObject({ seq: 3, ts: 20, sessionId: 's' });
  });
});
