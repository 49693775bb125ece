import type { z } from 'zod';
import { SwitchboardError, type SwitchboardErrorInit } from './switchboard-error.js';

/** The constructor of a package's own error class (`EventsError`, `AgentCoreError`, …). */
export type OptionsErrorClass<Code extends string> = new (
  init: SwitchboardErrorInit<Code>,
) => SwitchboardError<Code>;

/** Parses options against a schema, throwing the parser's error class on failure. */
export type OptionsParser = <Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
) => z.output<Schema>;

/**
 * Makes a package's options parser: it parses factory options once against their
 * schema and, on failure, throws `ErrorClass` with `code`, listing every issue
 * as `path: message` so a user fixes all of them in one go. Each package makes
 * one with its own class, so `instanceof AgentCoreError` (or `EventsError`, …)
 * holds for option errors like for every other error of that package.
 */
export function optionsParser<Code extends string>(
  code: Code,
  ErrorClass: OptionsErrorClass<Code> = SwitchboardError,
): OptionsParser {
  return (schema, input) => {
    const result = schema.safeParse(input ?? {});
    if (result.success) return result.data;
    const issues = result.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
    );
    throw new ErrorClass({
      code,
      message: `Invalid options: ${issues.join('; ')}`,
      details: { issues },
    });
  };
}

/**
 * Parses options once, throwing a plain {@link SwitchboardError} with `code` on
 * failure. Packages use their own {@link optionsParser} instead.
 */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  code: string,
): z.output<Schema> {
  return optionsParser(code)(schema, input);
}
