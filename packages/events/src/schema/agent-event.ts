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

/**
 * Fields a reader must treat as optional (events written by older producers
 * lack them) but every producer of this contract version sets. They are
 * required in {@link EventDraft} and {@link DraftData}, so the compiler holds
 * producers to them while the schemas still accept old streams.
 */
interface ProducerRequiredFields {
  'tool_call.args_delta': 'toolName';
  'tool_call.ready': 'toolName';
  'tool_call.running': 'toolName';
  'tool_call.progress': 'toolName';
  'tool_call.completed': 'toolName';
  'tool_call.approval_requested': 'toolName';
  'tool_call.approval_resolved': 'toolName';
}

/**
 * The `data` a producer emits for type `T`: {@link EventData} with the
 * fields older events may lack made required (the tool's name on every
 * `tool_call.*` event).
 */
export type DraftData<T extends EventType> = T extends keyof ProducerRequiredFields
  ? EventData<T> & { [K in ProducerRequiredFields[T]]-?: NonNullable<EventData<T>[K]> }
  : EventData<T>;

/** An event before the bus stamps `v`, `seq` and `ts`, as producers write it (see {@link DraftData}). */
export type EventDraft<T extends EventType = EventType> = T extends EventType
  ? Omit<AgentEvent<T>, 'v' | 'seq' | 'ts' | 'data'> & { data: DraftData<T> }
  : never;
