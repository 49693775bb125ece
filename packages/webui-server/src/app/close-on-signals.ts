import type { FastifyBaseLogger } from 'fastify';

/** The signals that stop the web app gracefully. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Options of {@link closeOnSignals}. */
export interface CloseOnSignalsOptions {
  log: FastifyBaseLogger;
  /** Ends the process (`process.exit`). */
  exit: (code: number) => void;
  /**
   * A close that takes longer than this is given up: the process exits 1
   * (the next start finishes cut-off runs as `interrupted`).
   */
  timeoutMs: number;
  /** Where the signals come from. @default process */
  emitter?: Pick<NodeJS.Process, 'once' | 'off'>;
}

/**
 * On the first SIGTERM or SIGINT: closes `app` (new runs are refused,
 * active runs get the server's grace to finish and are then cancelled and
 * saved, streams end, the bus and tracing flush, stores close) and exits 0,
 * or 1 if closing failed or outlasted `timeoutMs`. A second signal exits 1
 * at once, for someone who does not want to wait.
 */
export function closeOnSignals(
  app: { close(): Promise<void> },
  options: CloseOnSignalsOptions,
): void {
  const { log, exit } = options;
  const emitter = options.emitter ?? process;
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, `${signal}: shutting down (active runs get time to finish and are saved)`);
    for (const name of STOP_SIGNALS) emitter.once(name, onSecondSignal);
    const watchdog = setTimeout(() => {
      log.error({ timeoutMs: options.timeoutMs }, 'Shutdown took too long; exiting now.');
      exit(1);
    }, options.timeoutMs);
    watchdog.unref();
    app.close().then(
      () => {
        clearTimeout(watchdog);
        log.info('Stopped.');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(watchdog);
        log.error({ err: error }, 'Shutdown failed.');
        exit(1);
      },
    );
  };
  const onSecondSignal = (signal: NodeJS.Signals) => {
    log.warn({ signal }, `${signal} again: exiting without waiting.`);
    exit(1);
  };
  const first = (signal: NodeJS.Signals) => {
    for (const name of STOP_SIGNALS) emitter.off(name, first);
    onSignal(signal);
  };
  for (const name of STOP_SIGNALS) emitter.once(name, first);
}
