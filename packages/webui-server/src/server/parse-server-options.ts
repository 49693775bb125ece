import { SwitchboardError, parseOptions } from '@switchboard/events';
import type { z } from 'zod';
import { WebuiServerError } from '../errors/webui-server-error.js';

/**
 * Parses options once against their schema; a failure throws
 * `WEBUI_INVALID_OPTIONS` listing every issue as `path: message`.
 */
export function parseServerOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  try {
    return parseOptions(schema, input, 'WEBUI_INVALID_OPTIONS');
  } catch (error) {
    if (!SwitchboardError.isInstance(error)) throw error;
    throw new WebuiServerError({
      code: 'WEBUI_INVALID_OPTIONS',
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    });
  }
}
