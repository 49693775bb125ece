import type { Envelope } from './envelope-schema.js';
import type { EventData, EventType } from './event-catalog.js';

type EnvelopeFields = Omit<Envelope, 'type' | 'data'>;

/**
 * A stamped event of a known type. Narrow on `type` to get the payload type:
 *
 * ```ts
 * if (event.type === 'message.delta') event.data.delta; // string
 * ```
 */
export type AgentEvent<T extends EventType = EventType> = T extends EventType
  ? EnvelopeFields & { type: T; data: EventData<T> }
  : never;

/**
 * An event whose type this version does not know (written by a newer
 * producer). Readers keep it as is; UIs ignore it; adapters wrap it.
 */
export type UnknownEvent = EnvelopeFields & { type: string; data: unknown };

/** What a tolerant reader yields: a known event or an opaque newer one. */
export type AnyEvent = AgentEvent | UnknownEvent;

/** An event before the bus stamps `v`, `seq` and `ts`. */
export type EventDraft<T extends EventType = EventType> = T extends EventType
  ? Omit<AgentEvent<T>, 'v' | 'seq' | 'ts'>
  : never;
