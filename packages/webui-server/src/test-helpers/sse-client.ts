import { decodeSseStream, type AnyEvent } from '@switchboard/events';

/** One connection's frames: the `stream.opened` data, then stamped events. */
export interface SseRead {
  opened: { headSeq?: number; sessionId?: string } | undefined;
  events: AnyEvent[];
  response: Response;
}

/**
 * Opens a session's event stream with plain fetch and reads events until
 * `until(event)` holds (or `max` events); then closes the connection, like a
 * tab that goes away.
 */
export async function readEvents(
  url: string,
  options: {
    headers?: Record<string, string>;
    until: (event: AnyEvent, events: readonly AnyEvent[]) => boolean;
  },
): Promise<SseRead> {
  const abort = new AbortController();
  const timeout = setTimeout(
    () => abort.abort(new Error(`no end of stream within 15 s: ${url}`)),
    15_000,
  );
  const response = await fetch(url, { headers: options.headers ?? {}, signal: abort.signal });
  const read: SseRead = { opened: undefined, events: [], response };
  try {
    if (!response.ok || !response.body) return read;
    for await (const frame of decodeSseStream(response.body)) {
      if (frame.data === '') continue;
      const message = JSON.parse(frame.data) as
        AnyEvent | { type: 'stream.opened'; data: SseRead['opened'] };
      if (!('seq' in message)) {
        read.opened = message.data;
        continue;
      }
      expectIdMatches(frame.id, message.seq);
      read.events.push(message);
      if (options.until(message, read.events)) break;
    }
  } finally {
    clearTimeout(timeout);
    abort.abort();
  }
  return read;
}

function expectIdMatches(id: string | undefined, seq: number): void {
  if (id !== String(seq)) throw new Error(`SSE id ${id} does not match seq ${seq}`);
}

/** Reads the raw text of a stream for `ms` milliseconds (heartbeats are comments, invisible to parsers). */
export async function readRawFor(
  url: string,
  ms: number,
): Promise<{ text: string; response: Response }> {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const stop = setTimeout(() => abort.abort(), ms);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // aborted: the time is up
  } finally {
    clearTimeout(stop);
  }
  return { text, response };
}
