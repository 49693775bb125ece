import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './event-catalog.js';
import { eventContractJsonSchema } from './json-schema.js';

describe('eventContractJsonSchema', () => {
  const schema = eventContractJsonSchema();

  it('matches the published schema file (a change here is a contract review)', async () => {
    await expect(`${JSON.stringify(schema, null, 2)}\n`).toMatchFileSnapshot(
      '../../schema/agent-events.v1.json',
    );
  });

  it('has one variant per event type', () => {
    const variants = (schema.oneOf ?? schema.anyOf) as {
      properties: { type: { const: string } };
    }[];
    expect(variants.map((variant) => variant.properties.type.const).sort()).toEqual(
      [...EVENT_TYPES].sort(),
    );
  });
});
