import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { closeOnSignals } from './close-on-signals.js';

const silent = pino({ level: 'silent' });

/** Signals from a plain emitter, exits recorded: the process is left alone. */
function harness(close: () => Promise<void>, timeoutMs = 60_000) {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let closes = 0;
  let exited: () => void = () => {};
  const exit = new Promise<void>((resolve) => (exited = resolve));
  closeOnSignals(
    {
      close: () => {
        closes += 1;
        return close();
      },
    },
    {
      log: silent,
      timeoutMs,
      emitter: emitter as unknown as NodeJS.Process,
      exit: (code) => {
        exits.push(code);
        exited();
      },
    },
  );
  return { emitter, exits, exit, closes: () => closes };
}

describe('closeOnSignals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s closes the app once, then exits 0',
    async (signal) => {
      const h = harness(() => Promise.resolve());
      h.emitter.emit(signal, signal);
      await h.exit;
      expect(h.exits).toEqual([0]);
      expect(h.closes()).toBe(1);
      expect(h.emitter.listenerCount('SIGTERM') + h.emitter.listenerCount('SIGINT')).toBe(2);
    },
  );

  it('exits 1 when closing fails', async () => {
    const h = harness(() => Promise.reject(new Error('disk gone')));
    h.emitter.emit('SIGTERM', 'SIGTERM');
    await h.exit;
    expect(h.exits).toEqual([1]);
  });

  it('a second signal exits 1 at once, without a second close', async () => {
    let finish: () => void = () => {};
    const h = harness(() => new Promise<void>((resolve) => (finish = resolve)));
    h.emitter.emit('SIGTERM', 'SIGTERM');
    h.emitter.emit('SIGINT', 'SIGINT');
    await h.exit;
    expect(h.exits).toEqual([1]);
    expect(h.closes()).toBe(1);
    finish();
  });

  it('a close that outlasts timeoutMs exits 1', async () => {
    const h = harness(() => new Promise<void>(() => {}), 50);
    h.emitter.emit('SIGTERM', 'SIGTERM');
    await h.exit;
    expect(h.exits).toEqual([1]);
  });
});
