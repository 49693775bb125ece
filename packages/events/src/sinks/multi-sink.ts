import { EventsError, parseEventsOptions } from '../errors/events-error.js';
import { toSwitchboardError } from '../errors/switchboard-error.js';
import type { AnyEvent } from '../schema/agent-event.js';
import type { EventSink } from './event-sink.js';
import { multiSinkOptionsSchema, type MultiSinkOptions } from './multi-sink-options.js';

type SinkAction = (sink: EventSink) => void | Promise<void>;
interface SinkCall {
  action: SinkAction;
  index: number;
  event: AnyEvent | undefined;
}

/** Reports a sink failure without throwing into the emitter. */
export type SinkErrorHandler = (error: EventsError) => void;

/**
 * Fans every event out to its sinks in the order they were given. A sink that
 * throws or rejects does not stop the others: the failure goes to `onError`
 * (code `EVENTS_SINK_FAILED`). Asynchronous sinks are awaited one after the
 * other, so every child sees the same order.
 */
export class MultiSink implements EventSink {
  readonly #sinks: readonly EventSink[];
  readonly #onError: SinkErrorHandler;

  /** Fans out to `options.sinks`, reporting their failures to `options.onError`. */
  constructor(options: MultiSinkOptions);
  /** @deprecated Pass an options object: `new MultiSink({ sinks, onError })`. */
  constructor(sinks: readonly EventSink[], onError?: SinkErrorHandler);
  constructor(options: MultiSinkOptions | readonly EventSink[], onError?: SinkErrorHandler) {
    const resolved = parseEventsOptions(
      multiSinkOptionsSchema,
      isSinkList(options) ? { sinks: [...options], ...(onError ? { onError } : {}) } : options,
    );
    this.#sinks = resolved.sinks;
    this.#onError = resolved.onError ?? (() => {});
  }

  /** How many sinks this fans out to. */
  get size(): number {
    return this.#sinks.length;
  }

  write(event: AnyEvent, json?: string): void | Promise<void> {
    return this.#each((sink) => sink.write(event, json), event);
  }

  flush(): void | Promise<void> {
    return this.#each((sink) => sink.flush?.());
  }

  close(): void | Promise<void> {
    return this.#each((sink) => sink.close?.());
  }

  /** Runs `action` on each sink in order; only goes async once a sink does. */
  #each(action: SinkAction, event?: AnyEvent): void | Promise<void> {
    for (let index = 0; index < this.#sinks.length; index++) {
      const pending = this.#call({ action, index, event });
      if (pending) return this.#continueAsync(pending, { action, index: index + 1, event });
    }
  }

  async #continueAsync(pending: Promise<void>, from: SinkCall): Promise<void> {
    await pending;
    for (let index = from.index; index < this.#sinks.length; index++) {
      await this.#call({ ...from, index });
    }
  }

  #call({ action, index, event }: SinkCall): Promise<void> | undefined {
    try {
      const result = action(this.#sinks[index]!);
      if (result) return result.catch((error: unknown) => this.#report(error, index, event));
    } catch (error) {
      this.#report(error, index, event);
    }
    return undefined;
  }

  #report(error: unknown, index: number, event?: AnyEvent): void {
    const cause = toSwitchboardError(error, 'EVENTS_SINK_FAILED');
    this.#onError(
      new EventsError({
        code: 'EVENTS_SINK_FAILED',
        message: `Sink #${index} failed: ${cause.message}`,
        details: { sinkIndex: index, ...(event ? { seq: event.seq, type: event.type } : {}) },
        cause: error,
      }),
    );
  }
}

function isSinkList(value: MultiSinkOptions | readonly EventSink[]): value is readonly EventSink[] {
  return Array.isArray(value);
}
