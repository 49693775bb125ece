import { z } from 'zod';

/**
 * One schema for every `env` option of every package (agent, MCP stdio,
 * tracing, config loader).
 *
 * An environment such as `process.env`: any object whose own enumerable
 * values are strings or `undefined`, copied to a plain object without the
 * `undefined` entries. `z.record` is not used because it refuses
 * `process.env`, which is not a plain object.
 */
export const envSchema = z
  .custom<Readonly<Record<string, string | undefined>>>(
    (value) =>
      typeof value === 'object' &&
      value != null &&
      !Array.isArray(value) &&
      Object.values(value).every((entry) => entry === undefined || typeof entry === 'string'),
    { message: 'expected an environment such as process.env (an object of string values)' },
  )
  .transform((env): Record<string, string> =>
    Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  );
