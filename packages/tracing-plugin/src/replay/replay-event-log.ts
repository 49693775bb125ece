import type { AnyEvent } from '@switchboard/events';
import { listJsonlFiles, readJsonlEvents } from '@switchboard/events/node';
import { TracingError } from '../errors/tracing-error.js';
import { createLangfuseTracingPlugin } from '../tracing-plugin.js';
import type { TracingPluginOptions } from '../tracing-options.js';

/** What a replay sent. */
export interface ReplayResult {
  events: number;
  sessions: number;
  /** Top-level runs, i.e. traces. */
  turns: number;
}

/**
 * Builds the traces of a recorded event stream after the fact: a JSONL event
 * log (rotated files included, a torn last line skipped) or any iterable of
 * events. The traces are the ones the live plugin would have sent, with the
 * recorded timestamps. Resolves once everything is exported; unlike the live
 * plugin it fails loudly, since a replay is an explicit request:
 * `TRACING_NO_CREDENTIALS`, `TRACING_INIT_FAILED`, `TRACING_REPLAY_FAILED`
 * (unreadable log) or `TRACING_EXPORT_FAILED`.
 *
 * ```ts
 * await replayEventLog('events.jsonl'); // LANGFUSE_* from the environment
 * ```
 */
export async function replayEventLog(
  source: string | AsyncIterable<AnyEvent> | Iterable<AnyEvent>,
  options: TracingPluginOptions = {},
): Promise<ReplayResult> {
  const problems: TracingError[] = [];
  const plugin = createLangfuseTracingPlugin({
    ...options,
    logger: {
      warn: (message, error) => {
        if (error instanceof TracingError) problems.push(error);
        options.logger?.warn(message, error);
      },
      debug: (message, error) => {
        if (error instanceof TracingError) problems.push(error);
        options.logger?.debug?.(message, error);
      },
    },
  });
  if (!plugin.active) {
    throw (
      problems[0] ??
      new TracingError({ code: 'TRACING_INIT_FAILED', message: 'Tracing is disabled.' })
    );
  }
  const result: ReplayResult = { events: 0, sessions: 0, turns: 0 };
  const sessions = new Set<string>();
  try {
    if (typeof source === 'string' && (await listJsonlFiles(source)).length === 0) {
      throw new Error('no such event log (nor rotated files of it)');
    }
    const events = typeof source === 'string' ? readJsonlEvents(source) : source;
    for await (const event of events) {
      result.events += 1;
      sessions.add(event.sessionId);
      if (event.type === 'run.started' && event.parentRunId === undefined) result.turns += 1;
      plugin.handle(event);
    }
  } catch (error) {
    await plugin.shutdown();
    throw new TracingError({
      code: 'TRACING_REPLAY_FAILED',
      message: `Cannot replay ${typeof source === 'string' ? source : 'the event stream'}: ${(error as Error)?.message ?? String(error)}`,
      cause: error,
    });
  }
  await plugin.shutdown();
  const failure = problems.find((problem) => problem.code === 'TRACING_EXPORT_FAILED');
  if (failure) throw failure;
  result.sessions = sessions.size;
  return result;
}
