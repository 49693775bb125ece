/** A timer handle of a {@link Clock}. */
export type TimerId = number;

/**
 * Time as the session sees it, in milliseconds. Every timer of the session
 * (endpointing, false interruption, user away) goes through it, so tests run
 * on a {@link ManualClock} faster than real time and give the same events
 * every run.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

/**
 * A clock that moves only when told to: the audio pump advances it by 20 ms
 * per input frame, so session time is audio time. Timers fire in order of
 * their due time (then of creation) during {@link advance}.
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<TimerId, { at: number; callback: () => void }>();

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerId {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(id: TimerId): void {
    this.#timers.delete(id);
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let due: [TimerId, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers)
        if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = Math.max(this.#now, due[1].at);
      due[1].callback();
    }
    this.#now = end;
  }
}
