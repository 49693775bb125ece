import { EXIT } from '../program/exit-codes.js';

/** A Ctrl-C handler for the time a run goes; `dispose()` restores the default. */
export interface Interrupt {
  /** Aborted on the first SIGINT. */
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * The first SIGINT aborts `signal` (the run is cancelled and its partial
 * output saved) and calls `onFirst`; a second one exits at once with 130.
 */
export function onInterrupt(onFirst: () => void): Interrupt {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(EXIT.CANCELLED);
    controller.abort();
    onFirst();
  };
  process.on('SIGINT', handler);
  return {
    signal: controller.signal,
    dispose: () => void process.off('SIGINT', handler),
  };
}
