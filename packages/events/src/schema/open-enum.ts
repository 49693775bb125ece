import { z } from 'zod';

/**
 * An enum a later contract version may extend (a trigger, a reason, a source,
 * a kind): the known values stay typed, and any other non-empty string is
 * accepted as it is, so an older reader never fails to parse a newer event.
 * Views render an unknown value generically (its raw text). Writers still
 * emit only the known values; adding one is a minor change of the contract.
 *
 * ```ts
 * trigger: openEnum(z.enum(['user', 'resume'])), // 'user' | 'resume' | (string & unknown value)
 * ```
 */
export function openEnum<const Values extends readonly [string, ...string[]]>(
  known: z.ZodEnum<{ [Value in Values[number]]: Value }>,
) {
  return z.union([known, z.string().min(1).brand<'UnknownEnumValue'>()]);
}
