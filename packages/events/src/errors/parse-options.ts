import type { z } from 'zod';
import { SwitchboardError } from './switchboard-error.js';

/**
 * Parses factory options once against their schema. On failure throws a
 * SwitchboardError with `code` listing every issue as `path: message`, so a user
 * fixes all of them in one go.
 */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  code: string,
): z.output<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
  );
  throw new SwitchboardError({
    code,
    message: `Invalid options: ${issues.join('; ')}`,
    details: { issues },
  });
}
