import { setMaxListeners } from 'node:events';
import { Writable } from 'node:stream';
import {
  EventBus,
  MemoryEventLog,
  type AnyEvent,
  type SubscribeOptions,
} from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { FanOutHubs } from './fan-out-hubs.js';
import { SseWatcher } from './sse-watcher.js';

const SESSION = 'ses_fan';
const HIGH_WATER_MARK = 64 * 1024;

/** A memory log that counts its subscriptions and how many are still open. */
class CountingLog extends MemoryEventLog {
  subscriptions = 0;
  open = 0;

  override subscribe(sessionId: string, options?: SubscribeOptions): AsyncIterable<AnyEvent> {
    this.subscriptions++;
    const inner = super.subscribe(sessionId, options);
    const counted = async function* (log: CountingLog) {
      log.open++;
      try {
        yield* inner;
      } finally {
        log.open--;
      }
    };
    return counted(this);
  }
}

/**
 * A client connection as the watcher sees it: a Writable that keeps every
 * chunk it was given (the very objects) and, while paused, does not take
 * more, so the bytes queue up in it the way they do on a socket whose peer
 * stopped reading.
 */
class Client extends Writable {
  readonly chunks: Array<string | Buffer> = [];
  paused = false;
  #held: Array<() => void> = [];

  /** The `id:` of every frame received, in order (each write carries whole frames). */
  readonly seqs: number[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk);
    for (const match of chunk.toString().matchAll(/(?:^|\n)id: (\d+)\n/g))
      this.seqs.push(Number(match[1]));
    if (this.paused) this.#held.push(callback);
    else callback();
  }

  resume(): void {
    this.paused = false;
    for (const callback of this.#held.splice(0)) callback();
  }

  get text(): string {
    return this.chunks.map((chunk) => chunk.toString()).join('');
  }
}

function setup() {
  const log = new CountingLog();
  const bus = new EventBus({ log });
  const hubs = new FanOutHubs(log);
  const stop = new AbortController();
  setMaxListeners(100, stop.signal); // one signal for all the watchers of a test
  const emit = (count: number, delta = 'x') => {
    for (let index = 0; index < count; index++)
      bus.emit({
        type: 'message.delta',
        sessionId: SESSION,
        runId: 'run_fan',
        data: { messageId: 'msg_fan', delta },
      });
  };
  const watch = (cursor = 0, client = new Client()) => {
    const watcher = new SseWatcher(
      {
        response: client,
        log,
        hubs,
        sessionId: SESSION,
        cursor,
        keepAliveMs: 0,
        highWaterMark: HIGH_WATER_MARK,
        signal: stop.signal,
      },
      ': hello\n\n',
    );
    return { client, watcher };
  };
  return { log, bus, hubs, stop, emit, watch };
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** Lets the event loop run until `done()` holds (the test's timeout bounds it). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('the session fan-out', () => {
  it('writes the same frame bytes, in order, to every watcher, from one log subscription', async () => {
    const { log, bus, hubs, emit, watch } = setup();
    emit(5);
    await bus.flush();
    const early = Array.from({ length: 20 }, () => watch());
    emit(100);
    await bus.flush();
    // More watchers arrive while the session is live, from different cursors.
    const late = [watch(50), watch(105), watch(0)];
    emit(100);
    await bus.flush();
    const all = [...early, ...late];
    await until(() => all.every(({ client }) => client.seqs.at(-1) === 205));

    for (const { client } of early) expect(client.seqs).toEqual(range(1, 205));
    expect(late[0]!.client.seqs).toEqual(range(51, 205));
    expect(late[1]!.client.seqs).toEqual(range(106, 205));
    expect(late[2]!.client.seqs).toEqual(range(1, 205));
    // Every live frame is one object shared by all watchers: encoded once, not per watcher.
    const last = all.map(({ client }) => client.chunks.at(-1));
    expect(new Set(last).size).toBe(1);
    expect(Buffer.isBuffer(last[0])).toBe(true);
    expect(
      new Set(all.map(({ client }) => client.text.slice(client.text.indexOf('id: 106\n')))).size,
    ).toBe(1);
    expect(log.subscriptions).toBe(1);
    expect(hubs.size).toBe(1);
    expect(hubs.get(SESSION)!.liveCount).toBe(all.length);
  });

  it('bounds what a paused watcher holds; it leaves the live set, and catches up from the log once it reads again', async () => {
    const { bus, hubs, emit, watch } = setup();
    const fast = watch();
    const slow = watch(0, Object.assign(new Client(), { paused: true }));
    const delta = 'y'.repeat(1000);
    const total = 3000; // ~3 MB of frames, far beyond the high-water mark
    let maxQueued = 0;
    for (let batch = 0; batch < total / 100; batch++) {
      emit(100, delta);
      await bus.flush();
      await until(() => fast.client.seqs.length === (batch + 1) * 100);
      maxQueued = Math.max(maxQueued, slow.client.writableLength);
    }
    // What the paused client holds stays under the mark plus one frame (not ~3 MB).
    expect(maxQueued).toBeGreaterThan(0);
    expect(maxQueued).toBeLessThan(HIGH_WATER_MARK + 2 * 1024);
    expect(slow.watcher.catchingUp).toBe(true);
    expect(hubs.get(SESSION)!.liveCount).toBe(1);
    expect(fast.client.seqs).toEqual(range(1, total));

    slow.client.resume();
    await until(() => slow.client.seqs.at(-1) === total);
    expect(slow.client.seqs).toEqual(range(1, total)); // nothing lost, nothing twice
    // Caught up, it is live again: new events reach it through the fan-out.
    await until(() => !slow.watcher.catchingUp);
    expect(hubs.get(SESSION)!.liveCount).toBe(2);
    emit(3);
    await bus.flush();
    await until(() => slow.client.seqs.at(-1) === total + 3);
    expect(slow.client.seqs).toEqual(range(1, total + 3));
    expect(slow.client.chunks.at(-1)).toBe(fast.client.chunks.at(-1));
  });

  it('removes a watcher that disconnects; the last one to leave ends the log subscription', async () => {
    const { log, bus, hubs, emit, watch } = setup();
    const a = watch();
    const b = watch();
    emit(3);
    await bus.flush();
    await until(() => a.client.seqs.length === 3 && b.client.seqs.length === 3);
    expect(log.open).toBe(1);

    const closed = new Promise((resolve) => a.client.once('close', resolve));
    a.client.destroy(); // the tab closes
    await closed;
    expect(hubs.get(SESSION)!.size).toBe(1);
    emit(2);
    await bus.flush();
    await until(() => b.client.seqs.length === 5);
    expect(a.client.seqs).toEqual(range(1, 3));

    b.client.destroy();
    await until(() => log.open === 0);
    expect(hubs.size).toBe(0);

    // The next watcher gets a fresh fan-out (and subscription) and misses nothing.
    const c = watch(0);
    emit(1);
    await bus.flush();
    await until(() => c.client.seqs.length === 6);
    expect(c.client.seqs).toEqual(range(1, 6));
    expect(log.subscriptions).toBe(2);
    expect(log.open).toBe(1);
  });

  it('ends every stream cleanly when its signal aborts, and the fan-out with them', async () => {
    const { log, bus, hubs, stop, emit, watch } = setup();
    const watchers = [watch(), watch()];
    emit(2);
    await bus.flush();
    await until(() => watchers.every(({ client }) => client.seqs.length === 2));
    stop.abort();
    await until(() => watchers.every(({ client }) => client.writableFinished));
    await until(() => log.open === 0);
    expect(hubs.size).toBe(0);
  });

  it('ends its watchers when the log closes under them', async () => {
    const { log, bus, emit, watch } = setup();
    const { client } = watch();
    emit(1);
    await bus.flush();
    await until(() => client.seqs.length === 1);
    log.close();
    await until(() => client.writableFinished);
    expect(client.text.startsWith(': hello\n\nid: 1\n')).toBe(true);
  });
});
