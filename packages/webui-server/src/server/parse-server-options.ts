import { optionsParser } from '@switchboard/events/internal';
import { WebuiServerError, type WebuiErrorCode } from '../errors/webui-server-error.js';

/**
 * Parses options once against their schema; a failure throws a
 * {@link WebuiServerError} `WEBUI_INVALID_OPTIONS` listing every issue as
 * `path: message`.
 */
export const parseServerOptions = optionsParser<WebuiErrorCode>(
  'WEBUI_INVALID_OPTIONS',
  WebuiServerError,
);
