import http from 'node:http';

/** What the watchers of one round saw. */
export interface WatchResult {
  /** Delivery latency of every event at every watcher: arrival − the event's `ts` (ms). */
  latencies: number[];
  /** Events delivered, all watchers together. */
  deliveries: number;
  /** From the first event's `ts` to the last delivery (ms). */
  spanMs: number;
  /** The events of the first watcher, in order (to replay them in the baseline). */
  events: Array<Record<string, unknown>>;
  /** Per event (by its place in the stream, as in `events`): the sum and count of its latencies over all watchers. */
  byEvent: Array<{ sum: number; count: number; max: number }>;
}

/** A run's terminal event: finished, or failed (the round still ends; the driver counts it). */
const END = /"type":"run\.(finished|failed)"/;
const TS = /"ts":(\d+)/;

/**
 * Opens `count` SSE connections to `url` (one socket each, like tabs, with
 * no shared agent: no pool limit), and reads each until its first terminal
 * event. `opened` resolves once every connection has its first bytes; `done`
 * with what they saw. A connection that fails, answers other than 200 or
 * ends early rejects both.
 */
export function startWatchers(
  url: string,
  count: number,
): {
  opened: Promise<void>;
  done: Promise<WatchResult>;
  /** How many connections have their first bytes, have seen the terminal event, or failed. */
  progress(): { opened: number; finished: number; failed: number };
} {
  const counts = { opened: 0, finished: 0, failed: 0 };
  const latencies: number[] = [];
  const events: Array<Record<string, unknown>> = [];
  const byEvent: WatchResult['byEvent'] = [];
  let firstTs = Number.POSITIVE_INFINITY;
  let lastAt = 0;
  let deliveries = 0;
  const opened: Promise<void>[] = [];
  const done: Promise<void>[] = [];
  for (let index = 0; index < count; index++) {
    let open!: () => void;
    let refuse!: (error: Error) => void;
    let isOpen = false;
    opened.push(
      new Promise((resolve, reject) => {
        open = () => {
          if (isOpen) return;
          isOpen = true;
          counts.opened++;
          resolve();
        };
        refuse = reject;
      }),
    );
    done.push(
      new Promise((resolve, reject) => {
        // Every way a watcher can end settles it: the round fails loudly rather than waiting.
        let settled = false;
        const finish = () => {
          if (settled) return;
          settled = true;
          counts.finished++;
          resolve();
        };
        const fail = (error: Error) => {
          if (settled) return;
          settled = true;
          counts.failed++;
          refuse(error);
          reject(error);
        };
        const request = http.get(url, { agent: false }, (response) => {
          if (response.statusCode !== 200) {
            response.resume();
            return fail(new Error(`watcher ${index}: HTTP ${response.statusCode}`));
          }
          response.setEncoding('utf8');
          let buffer = '';
          let seen = 0;
          response.on('data', (chunk: string) => {
            open();
            const now = Date.now();
            buffer += chunk;
            const frames = buffer.split('\n\n');
            buffer = frames.pop()!;
            for (const frame of frames) {
              const ts = TS.exec(frame);
              if (!frame.includes('"seq":') || !ts) continue;
              const at = Number(ts[1]);
              latencies.push(now - at);
              const slot = (byEvent[seen++] ??= { sum: 0, count: 0, max: 0 });
              slot.sum += now - at;
              slot.count++;
              slot.max = Math.max(slot.max, now - at);
              deliveries++;
              firstTs = Math.min(firstTs, at);
              lastAt = Math.max(lastAt, now);
              if (index === 0) events.push(JSON.parse(frame.slice(frame.indexOf('data: ') + 6)));
              if (END.test(frame)) {
                finish();
                response.destroy();
                return;
              }
            }
          });
          response.on('end', () =>
            fail(new Error(`watcher ${index}: the stream ended before the run's terminal event`)),
          );
          response.on('error', fail);
        });
        request.on('error', fail);
      }),
    );
  }
  const all = Promise.all(done).then(() => ({
    latencies,
    deliveries,
    spanMs: lastAt - firstTs,
    events,
    byEvent,
  }));
  // Awaited after `opened`; a failure before then is reported through `opened`.
  all.catch(() => {});
  return {
    progress: () => ({ ...counts }),
    opened: Promise.all(opened).then(() => undefined),
    done: all,
  };
}

/** The `p`th percentile (0–100) of `values` (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}
