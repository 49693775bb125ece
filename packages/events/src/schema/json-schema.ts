import { z } from 'zod';
import { envelopeSchema } from './envelope-schema.js';
import { EVENT_TYPES, eventDataSchemas } from './event-catalog.js';

/**
 * The contract as one JSON Schema (draft 2020-12) for producers in other
 * languages: a `oneOf` over every known event type, each the envelope with its
 * literal `type` and typed `data`. Published as `@switchboard/events/schema.json`.
 */
export function eventContractJsonSchema(): Record<string, unknown> {
  const variants = EVENT_TYPES.map((type) =>
    envelopeSchema.extend({ type: z.literal(type), data: eventDataSchemas[type] }),
  );
  const union = z.discriminatedUnion('type', variants as [never, never, ...never[]]);
  return {
    ...z.toJSONSchema(union, { target: 'draft-2020-12', unrepresentable: 'any' }),
    $id: 'https://switchboard.dev/schema/agent-events.v1.json',
    title: 'Switchboard agent event (contract v1)',
  };
}
