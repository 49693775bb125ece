import { SwitchboardError } from '@switchboard/events';
import { WEB_LOGGER_OPTIONS, closeOnSignals } from '@switchboard/webui-server';
import { pino } from 'pino';
import { startWebApp, type StartWebAppOptions } from './start-web-app.js';

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
export async function runWebApp(options: StartWebAppOptions = {}): Promise<void> {
  try {
    const app = await startWebApp(options);
    closeOnSignals(app, {
      log: app.log,
      timeoutMs: SHUTDOWN_TIMEOUT_MS,
      exit: (code) => process.exit(code),
    });
  } catch (error) {
    const log = pino(WEB_LOGGER_OPTIONS);
    if (SwitchboardError.isInstance(error)) {
      const hint = 'hint' in error && typeof error.hint === 'string' ? error.hint : undefined;
      log.fatal({ code: error.code, hint }, `Cannot start: ${error.message}`);
    } else {
      log.fatal({ err: error }, 'Cannot start: unexpected error, please report it.');
    }
    process.exit(1);
  }
}
