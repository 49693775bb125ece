import type { AnyEvent } from '../schema/agent-event.js';

/**
 * Something that consumes stamped events in order: a file, a tracer, a UI.
 * `write` may be synchronous or return a promise; when it returns a promise the
 * bus waits for it before handing the sink its next event, so a sink sees
 * events strictly in `seq` order and never concurrently.
 */
export interface EventSink {
  /** A short label for error reports (e.g. the file it writes); the class name is used when absent. */
  readonly name?: string;
  /**
   * Takes one event. `json` is `JSON.stringify(event)` as the bus serialised
   * it when it stamped the event (the bus serialises once, to bound the
   * event's size, and shares the text), or undefined when the caller has
   * none: a sink that writes JSON should use it rather than serialise again.
   */
  write(event: AnyEvent, json?: string): void | Promise<void>;
  /** Makes everything written so far durable or visible. */
  flush?(): void | Promise<void>;
  /** Flushes and releases resources. Further writes fail with `EVENTS_CLOSED`. */
  close?(): void | Promise<void>;
}
