import { describe, expect, it } from 'vitest';
import { onAbort } from './on-abort.js';

describe('onAbort', () => {
  it('calls every waiting callback once, not the ones that stopped waiting', () => {
    const controller = new AbortController();
    const called: number[] = [];
    const stops = Array.from({ length: 50 }, (_, index) =>
      onAbort(controller.signal, () => called.push(index)),
    );
    stops[7]!();
    controller.abort();
    controller.abort();
    expect(called).toHaveLength(49);
    expect(called).not.toContain(7);
  });

  it('calls at once for a signal that already aborted', () => {
    let called = 0;
    onAbort(AbortSignal.abort(), () => (called += 1));
    expect(called).toBe(1);
  });
});
