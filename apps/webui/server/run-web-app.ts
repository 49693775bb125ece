import { SwitchboardError } from '@switchboard/events';
import { pino, type LoggerOptions } from 'pino';
import { closeOnSignals } from './close-on-signals.js';
import { startWebApp, type StartWebAppOptions } from './start-web-app.js';

/**
 * pino options of every log line: JSON on stdout, request ids from Fastify
 * (`reqId`), credentials redacted wherever a logged object carries them.
 */
export const LOGGER_OPTIONS = {
  level: 'info',
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
    censor: '[REDACTED]',
  },
} satisfies LoggerOptions;

/**
 * A close may take the server's shutdown grace twice (runs finishing, then
 * cancelled runs saving) plus flushing; past this the process exits 1.
 */
const SHUTDOWN_TIMEOUT_MS = 40_000;

/**
 * The web app as a process: starts it, closes it gracefully on SIGTERM or
 * SIGINT (exit 0), and exits 1 with one log line (code, message, hint) when
 * it cannot start. `main.ts` calls it; an app that embeds the web app with
 * its own tools can too.
 */
export async function runWebApp(
  options: Omit<StartWebAppOptions, 'log' | 'loggerOptions'> = {},
): Promise<void> {
  const log = pino(LOGGER_OPTIONS);
  try {
    const app = await startWebApp({ ...options, log, loggerOptions: LOGGER_OPTIONS });
    closeOnSignals(app, {
      log,
      timeoutMs: SHUTDOWN_TIMEOUT_MS,
      exit: (code) => process.exit(code),
    });
  } catch (error) {
    if (SwitchboardError.isInstance(error)) {
      const hint = 'hint' in error && typeof error.hint === 'string' ? error.hint : undefined;
      log.fatal({ code: error.code, hint }, `Cannot start: ${error.message}`);
    } else {
      log.fatal({ err: error }, 'Cannot start: unexpected error, please report it.');
    }
    process.exit(1);
  }
}
