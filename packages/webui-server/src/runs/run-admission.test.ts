import { describe, expect, it } from 'vitest';
import { RunAdmission } from './run-admission.js';

describe('RunAdmission', () => {
  it('admits in the order asked, each in a later turn of the event loop than the one before', async () => {
    const admission = new RunAdmission();
    const started: number[] = [];
    /** How many had started when the loop came round after the first start. */
    let startedAtNextTurn: number | undefined;
    await Promise.all(
      [0, 1, 2, 3, 4].map((index) =>
        admission.turn().then(() => {
          started.push(index);
          if (index === 0) setImmediate(() => (startedAtNextTurn = started.length));
        }),
      ),
    );
    expect(started).toEqual([0, 1, 2, 3, 4]);
    // All five in one stretch would leave 5; one per turn leaves at most the next one started.
    expect(startedAtNextTurn).toBeLessThanOrEqual(2);
  });

  it('with nothing queued, admits after the loop work already waiting, not before it', async () => {
    const admission = new RunAdmission();
    const order: string[] = [];
    setImmediate(() => order.push('waiting loop work'));
    await admission.turn();
    order.push('admitted');
    expect(order).toEqual(['waiting loop work', 'admitted']);
  });
});
