// BENCH_CPU_PROF=<dir>: the subject profiles only the runs of each measured
// round (not its start-up, which would otherwise dominate a short bench), one
// V8 `.cpuprofile` per round, through the inspector of its own process.
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/** Starts and stops CPU profiles of this process; each stop writes `<dir>/<name>.cpuprofile`. */
export class RoundProfiler {
  readonly #dir: string;
  readonly #session = new Session();
  #running = false;

  constructor(dir: string) {
    this.#dir = dir;
    this.#session.connect();
  }

  async start(): Promise<void> {
    if (this.#running) return;
    await this.#session.post('Profiler.enable');
    // 1 ms between samples (V8's default), so short blocks still show.
    await this.#session.post('Profiler.setSamplingInterval', { interval: 1000 });
    await this.#session.post('Profiler.start');
    this.#running = true;
  }

  async stop(name: string): Promise<string | undefined> {
    if (!this.#running) return undefined;
    this.#running = false;
    const { profile } = await this.#session.post('Profiler.stop');
    await mkdir(this.#dir, { recursive: true });
    const file = path.join(this.#dir, `${name}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    return file;
  }
}
