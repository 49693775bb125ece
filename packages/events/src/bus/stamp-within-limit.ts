import type { AgentEvent, EventDraft } from '../schema/agent-event.js';
import type { EventType } from '../schema/event-catalog.js';
import type { SessionSequencer } from '../sequencer/session-sequencer.js';
import { fitEventSize, fitsSerialised } from './fit-event-size.js';

/** A draft's truncation, as {@link fitEventSize} reports it. */
export interface Truncated {
  originalBytes: number;
  keptBytes: number;
  paths: string[];
}

/** How {@link stampWithinLimit} stamps: the largest event, and whether to serialise it. */
export interface StampLimit {
  /** Largest serialised event in UTF-8 bytes (the bus's `maxEventBytes`). */
  readonly maxBytes: number;
  /** Serialise each event and return its JSON (something downstream stores JSON). */
  readonly serialise: boolean;
}

/** What {@link stampWithinLimit} did with a draft. */
export type StampResult<T extends EventType> =
  | {
      kind: 'stamped';
      event: AgentEvent<T>;
      /** `JSON.stringify(event)`, when asked for and the event can be serialised. */
      json: string | undefined;
      /** Set when the draft's longest strings were cut to fit. */
      truncated: Truncated | undefined;
    }
  | { kind: 'too-large'; bytes: number };

/**
 * Stamps a draft so that the event fits `maxBytes` serialised, through
 * `sequencer` (whose number is used up only when an event comes out).
 *
 * With `serialise`, the stamped event is serialised once and its JSON both
 * bounds the size exactly and is returned, for the log and the sinks to
 * store instead of serialising again; an event over the limit gives its
 * number back and takes {@link fitEventSize}'s path. Without it (nothing
 * downstream writes JSON), a cheap upper bound waves small drafts through
 * and nothing is serialised. A draft that cannot be serialised (a cycle, a
 * BigInt) is stamped without JSON: whoever serialises it reports that.
 */
export function stampWithinLimit<T extends EventType>(
  draft: EventDraft<T>,
  sequencer: SessionSequencer,
  { maxBytes, serialise }: StampLimit,
): StampResult<T> {
  if (serialise) {
    const event = sequencer.stamp(draft);
    const json = serialiseOrUndefined(event);
    if (json === undefined || fitsSerialised(json, maxBytes)) {
      return { kind: 'stamped', event, json, truncated: undefined };
    }
    // Over the limit: the rare slow path. The number goes back (the ts stays,
    // it only has to not go backwards), and the draft is cut to fit.
    sequencer.rewind({ seq: event.seq - 1, ts: event.ts });
  }
  const fit = fitEventSize(draft, maxBytes);
  if (fit.kind === 'too-large') return fit;
  const event = sequencer.stamp(fit.draft);
  return {
    kind: 'stamped',
    event,
    json: serialise ? serialiseOrUndefined(event) : undefined,
    truncated:
      fit.kind === 'truncated'
        ? { originalBytes: fit.originalBytes, keptBytes: fit.keptBytes, paths: fit.paths }
        : undefined,
  };
}

function serialiseOrUndefined(event: unknown): string | undefined {
  try {
    return JSON.stringify(event);
  } catch {
    return undefined;
  }
}
