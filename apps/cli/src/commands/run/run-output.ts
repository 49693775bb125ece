import type { CommandContext } from '../../program/command-context.js';
import { NULL_SINK, streamSink } from '../../render/sinks.js';
import { TranscriptPrinter } from '../../render/transcript-printer.js';
import type { SessionWatcher } from '../../runtime/session-watcher.js';

/** Stops printing (idempotent). */
export interface RunOutput {
  stop(): void;
}

/**
 * What `run` prints while the run goes. `--json`: every new event of the
 * session as one JSON line on stdout (the contract's envelope, nothing
 * else). Otherwise the assistant's text on stdout, and tool lines,
 * reasoning and notices on stderr (not with `--quiet`), with a live line
 * when both streams are terminals.
 */
export function attachRunOutput(
  context: CommandContext,
  watcher: SessionWatcher,
  json: boolean,
): RunOutput {
  const { output } = context;
  if (json) {
    const remove = watcher.onChange((_view, event) => output.result(`${JSON.stringify(event)}\n`));
    return { stop: remove };
  }
  const printer = new TranscriptPrinter({
    text: streamSink(output.stdout, output.style),
    notes: output.verbosity === 'quiet' ? NULL_SINK : streamSink(output.stderr, output.errStyle),
    live: output.live,
    user: false,
  });
  printer.skipTo(watcher.view);
  const remove = watcher.onChange((view) => printer.update(view));
  const ticker = output.live ? setInterval(() => printer.tick(), 100) : undefined;
  ticker?.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      remove();
      printer.suspend();
    },
  };
}
