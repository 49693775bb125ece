import { knownContentPartSchema } from '@switchboard/events';
import { z } from 'zod';

// The request and response shapes of the HTTP API. Routes validate with
// them through fastify-type-provider-zod; the OpenAPI document is generated
// from the same schemas.

/** An id in a path: what agent-core generates (`ses_…`, `run_…`) and what clients may choose. */
export const idSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'expected an id (letters, digits, _ . : -)');

export const sessionParamsSchema = z.object({ id: idSchema });
export const runParamsSchema = z.object({ id: idSchema, runId: idSchema });
export const requestParamsSchema = z.object({ id: idSchema, requestId: idSchema });

const title = z.string().trim().min(1).max(200);
const model = z.string().min(1).max(200);

export const createSessionBodySchema = z.strictObject({
  title: title.optional(),
  model: model.optional(),
});
export const updateSessionBodySchema = z
  .strictObject({ title: title.optional(), model: model.optional() })
  .refine((body) => body.title !== undefined || body.model !== undefined, {
    message: 'send title and/or model',
  });

export const listSessionsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
  q: z.string().max(200).optional(),
});

export const startRunBodySchema = z.strictObject({
  /** The user's message text (may be empty when attachments carry the content). */
  input: z.string().max(200_000),
  /**
   * Attachment ids from `POST /attachments` (sent to the model as image or
   * file parts, referenced in events as `attachment:<id>`), or content
   * parts (images, files by URL or data).
   */
  attachments: z
    .array(
      z.union([
        z.string().regex(/^[0-9a-f]{64}$/, 'expected an attachment id'),
        knownContentPartSchema,
      ]),
    )
    .max(32)
    .optional(),
  /** Client-chosen id of the message: retrying with it never starts a second run. */
  messageId: idSchema.optional(),
});

export const steerBodySchema = z.strictObject({ text: z.string().min(1).max(20_000) });

export const respondBodySchema = z.union([
  z.strictObject({
    approved: z.boolean(),
    always: z.boolean().optional(),
    reason: z.string().max(2000).optional(),
  }),
  z.strictObject({ answer: z.string().max(20_000) }),
]);

export const eventsQuerySchema = z.strictObject({
  /** Resume after this seq (the `Last-Event-ID` header wins when both are sent). */
  after: z.string().max(20).optional(),
});

export const sessionMetaSchema = z.object({
  id: z.string(),
  title: z.string().nullable(),
  model: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  costUsd: z.number().optional(),
});

export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }),
});

export const healthResponseSchema = z.object({ ok: z.literal(true), version: z.string() });

export const configResponseSchema = z.object({
  model: z.string().nullable(),
  models: z.array(z.string()),
  features: z.record(z.string(), z.boolean()),
});

export const exportQuerySchema = z.strictObject({
  /** `jsonl`: the event log (envelopes, one per line); `markdown`: a readable transcript; `ag-ui`: AG-UI events, one per line. */
  format: z.enum(['jsonl', 'markdown', 'ag-ui']).default('jsonl'),
});

/** The body of `POST /sessions/import`: a JSONL event log, as `application/x-ndjson`. */
export const importBodySchema = z
  .string()
  .describe('A session export: one event envelope per line');

export const importResponseSchema = sessionMetaSchema.extend({
  /** Events stored in the new session's log. */
  events: z.number().int().nonnegative(),
});

/** An attachment id: the SHA-256 of its bytes in lowercase hex (nothing else names a file). */
export const attachmentIdSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'expected an attachment id (64 lowercase hex digits)');

export const attachmentParamsSchema = z.object({ id: attachmentIdSchema });

export const attachmentResponseSchema = z.object({
  id: z.string(),
  mediaType: z.string(),
  size: z.number().int().nonnegative(),
  filename: z.string().optional(),
  /** Where it is served (`GET /api/attachments/:id`). */
  url: z.string(),
});
