import { connectEventStream, type AnyEvent } from '@switchboard/events';

/**
 * Reads a session's event stream over HTTP (the real SSE client) from the
 * start, or after `after`, until `until` matches; returns every event read,
 * the match last. Fails after `timeoutMs` with what it got.
 */
export async function readEventsUntil(
  baseUrl: string,
  sessionId: string,
  options: { until: (event: AnyEvent) => boolean; after?: number; timeoutMs?: number },
): Promise<AnyEvent[]> {
  const { until } = options;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const signal = AbortSignal.timeout(timeoutMs);
  const events: AnyEvent[] = [];
  for await (const event of connectEventStream(`${baseUrl}/api/sessions/${sessionId}/events`, {
    signal,
    maxRetries: 3,
    ...(options.after === undefined ? {} : { lastEventId: options.after }),
  })) {
    events.push(event);
    if (until(event)) return events;
  }
  throw new Error(
    `no matching event of ${sessionId} within ${timeoutMs} ms; got ${events.map((event) => event.type).join(', ')}`,
  );
}

/** The terminal event of a run. */
export const runEnded = (runId: string) => (event: AnyEvent) =>
  event.runId === runId && (event.type === 'run.finished' || event.type === 'run.failed');

/** Text of the `message.delta` events read so far. */
export function streamedText(events: readonly AnyEvent[]): string {
  return events
    .filter((event) => event.type === 'message.delta')
    .map((event) => (event.data as { delta: string }).delta)
    .join('');
}
