import type { AnyEvent } from '../schema/agent-event.js';
import { checkEnvelope } from './check-envelope.js';
import { resolveConnectOptions, type ConnectEventStreamOptions } from './connect-options.js';
import { readEventStream } from './read-event-stream.js';

/**
 * The event stream client of the light entry (`@switchboard/events/client`):
 * the main entry's `connectEventStream` (same options, same reconnects,
 * `Last-Event-ID` resume, gap and duplicate handling), with its options
 * checked by hand and each event checked by `validate`, by default only its
 * envelope ({@link checkEnvelope}), so no zod and no schema is bundled. Pass
 * `validate: parseEvent` from the main entry to check payloads too.
 *
 * ```ts
 * import { connectEventStream } from '@switchboard/events/client';
 * for await (const event of connectEventStream(`/sessions/${id}/events`, { signal })) render(event);
 * ```
 */
export function connectEventStream(
  url: string | URL,
  options: ConnectEventStreamOptions = {},
): AsyncIterable<AnyEvent> {
  return readEventStream(String(url), resolveConnectOptions(options, checkEnvelope));
}
