import type { z } from 'zod';
import { VoiceError } from './voice-error.js';

/** Parses options once at construction; bad input is a `VOICE_INVALID_OPTIONS` error. */
export function parseVoiceOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new VoiceError({
    code: 'VOICE_INVALID_OPTIONS',
    message: `Invalid ${what} options: ${issues.join('; ')}`,
    details: { issues },
  });
}
