import { CONTRACT_VERSION } from '../schema/envelope-schema.js';

/**
 * Response headers of an event stream. `no-transform` and `x-accel-buffering:
 * no` stop proxies (nginx, compression middleware) from buffering frames, which
 * would delay every event until a buffer fills. `x-switchboard-events` carries
 * the contract major version ({@link CONTRACT_VERSION}) so a client can refuse a
 * stream it cannot read before parsing it.
 *
 * `connection` is an HTTP/1.1 header; drop it when answering over HTTP/2, where
 * connection-specific headers are forbidden.
 */
export const SSE_HEADERS = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
  'x-switchboard-events': String(CONTRACT_VERSION),
} as const);
