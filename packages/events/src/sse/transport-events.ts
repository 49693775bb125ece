import { z } from 'zod';
import { CONTRACT_VERSION } from '../schema/envelope-schema.js';

/**
 * `data` of `stream.opened`: what the server knew when the stream started.
 * Both fields are optional because a plain stream may not know them.
 */
export const streamOpenedDataSchema = z.looseObject({
  /** Last stored `seq` of the session when the stream opened (0 = empty). */
  headSeq: z.number().int().nonnegative().optional(),
  /** The session the stream belongs to. */
  sessionId: z.string().min(1).optional(),
});

/**
 * `stream.opened`: the first frame of every stream. It is transport-only: it is
 * never stored, carries no `seq` and is sent without an SSE `id:`, so it does
 * not move a client's resume cursor.
 */
export const streamOpenedSchema = z.looseObject({
  v: z.literal(CONTRACT_VERSION),
  type: z.literal('stream.opened'),
  data: streamOpenedDataSchema,
});

/** The `stream.opened` frame. */
export type StreamOpened = z.infer<typeof streamOpenedSchema>;

/** The payload of `stream.opened`, handed to `connectEventStream`'s `onOpen`. */
export type StreamOpenedData = z.infer<typeof streamOpenedDataSchema>;

export { TRANSPORT_EVENT_TYPES } from './transport-types.js';
