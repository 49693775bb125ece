import { isKnownEvent, type AnyEvent, type EventLog } from '@switchboard/events';

/** A stateful converter of a session's events (the AI SDK and AG-UI adapters of the events package). */
export interface StreamAdapter<T> {
  push(event: AnyEvent): T[];
  end(): T[];
}

/** Options of {@link runOutput}. */
export interface RunOutputOptions<T> {
  log: EventLog;
  sessionId: string;
  /** The top-level run whose output is wanted. */
  runId: string;
  /**
   * Where the output starts. `run`: at the run's own `run.started` (a client
   * that holds the earlier part of the conversation, e.g. the paused run a
   * resume continues). `message`: at the first run of the chain of paused
   * and resumed runs it belongs to, which the AI SDK shows as one assistant
   * message (a client that reconnects and rebuilds that message from scratch).
   */
  from: 'run' | 'message';
  adapter: StreamAdapter<T>;
  /** Ends the output (and the log subscription): the client went away or the server closes. */
  signal: AbortSignal;
  /** Events the adapter must not see (e.g. a user message the client sent and already shows). */
  skip?: (event: AnyEvent) => boolean;
}

/**
 * The adapter's output for one run of a session, read from the event log:
 * batches of chunks from the run's start (see `from`) until its terminal
 * event, live while it runs. The adapter is fed the session from its first
 * event, and what comes before the window is dropped: it then knows the
 * conversation as a client that followed it would (a paused call a resume
 * run completes, a message a resume continues). That reads the session's
 * log once per request, as `GET /sessions/:id` does.
 *
 * When `signal` aborts before the run ended, the adapter's `end()` closes
 * what is open (without a finish: the run has not finished).
 */
export async function* runOutput<T>(options: RunOutputOptions<T>): AsyncGenerator<T[]> {
  const { log, sessionId, runId, from, adapter, signal, skip } = options;
  let forwarding = false;
  /** Output of the current message chain, held until it turns out to be the wanted one. */
  let held: T[] = [];
  for await (const event of log.subscribe(sessionId, { afterSeq: 0, signal })) {
    if (skip?.(event)) continue;
    const out = adapter.push(event);
    if (!forwarding) {
      const started = topLevelStart(event);
      if (started) {
        if (from === 'run' || started.resumeOfRunId === undefined) held = [];
        held.push(...out);
        if (started.runId === runId) {
          forwarding = true;
          yield held;
          held = [];
        }
      } else if (from === 'message') {
        held.push(...out);
      }
      continue;
    }
    if (out.length > 0) yield out;
    if (isTerminal(event, runId)) return;
  }
  if (forwarding) {
    const rest = adapter.end();
    if (rest.length > 0) yield rest;
  }
}

/** The run and the run it resumes, for a top-level `run.started`. */
function topLevelStart(event: AnyEvent): { runId: string; resumeOfRunId?: string } | undefined {
  if (!isKnownEvent(event) || event.type !== 'run.started') return undefined;
  if (event.runId === undefined || event.parentRunId !== undefined) return undefined;
  const { resumeOfRunId } = event.data;
  return resumeOfRunId === undefined
    ? { runId: event.runId }
    : { runId: event.runId, resumeOfRunId };
}

/** The run's one terminal event (`run.finished`, paused runs included, or `run.failed`). */
export function isTerminal(event: AnyEvent, runId: string): boolean {
  return (
    event.runId === runId &&
    event.parentRunId === undefined &&
    (event.type === 'run.finished' || event.type === 'run.failed')
  );
}
