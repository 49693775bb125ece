import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { WebuiServerError } from '../errors/webui-server-error.js';
import type { AttachmentMeta, AttachmentStore } from '../attachments/attachment-store.js';
import { attachmentParamsSchema, attachmentResponseSchema } from '../schemas/api-schemas.js';
import type { ApiContext, ApiInstance } from '../server/api-context.js';

/**
 * `POST /attachments` (multipart, one file, up to `attachmentLimit`;
 * rate-limited with uploads) stores a file in the content-addressed store
 * and answers **201** with its id; `GET /attachments/:id` serves it back
 * with its type, `nosniff` and an immutable cache (the id is its content).
 * The multipart parser is registered for the upload route only: every other
 * route still takes JSON alone (multipart is what a foreign page may send
 * without a preflight).
 */
export async function registerAttachmentRoutes(
  api: ApiInstance,
  context: ApiContext,
): Promise<void> {
  const { attachmentLimit } = context.options;
  const { uploads: limit } = context.options.rateLimit;

  await api.register(async (scope) => {
    const uploads = scope.withTypeProvider<ZodTypeProvider>();
    await uploads.register(multipart, {
      limits: { fileSize: attachmentLimit, files: 1, fields: 4, fieldSize: 1024, parts: 5 },
    });
    uploads.post(
      '/attachments',
      {
        config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
        schema: { consumes: ['multipart/form-data'], response: { 201: attachmentResponseSchema } },
      },
      async (request, reply) => {
        const store = requireAttachments(context);
        if (!request.isMultipart()) {
          throw new WebuiServerError({
            code: 'WEBUI_UNSUPPORTED_MEDIA_TYPE',
            message: 'Upload the file as multipart/form-data.',
          });
        }
        const part = await request.file();
        if (!part) {
          throw new WebuiServerError({
            code: 'WEBUI_INVALID_REQUEST',
            message: 'Invalid request: the form has no file.',
          });
        }
        const meta = await store.save(capped(part.file, attachmentLimit), {
          mediaType: part.mimetype,
          filename: part.filename,
        });
        const base = request.url.split('?')[0]!.replace(/\/$/, '');
        return reply.status(201).send(toResponse(meta, `${base}/${meta.id}`));
      },
    );
  });

  api.get(
    '/attachments/:id',
    { schema: { params: attachmentParamsSchema } },
    async (request, reply) => {
      const store = requireAttachments(context);
      const found = await store.open(request.params.id);
      if (!found) {
        throw new WebuiServerError({
          code: 'WEBUI_NOT_FOUND',
          message: `No attachment ${request.params.id}.`,
        });
      }
      const { meta, stream } = found;
      const text = meta.mediaType.startsWith('text/') || meta.mediaType === 'application/json';
      reply.header('content-type', text ? `${meta.mediaType}; charset=utf-8` : meta.mediaType);
      reply.header('content-length', String(meta.size));
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', 'private, max-age=31536000, immutable');
      reply.header('content-disposition', `inline; filename="${fileName(meta)}"`);
      return reply.send(stream);
    },
  );
}

/** The store, or `503 WEBUI_NO_ATTACHMENTS` naming the option to set. */
function requireAttachments(context: ApiContext): AttachmentStore {
  if (context.attachments) return context.attachments;
  throw new WebuiServerError({
    code: 'WEBUI_NO_ATTACHMENTS',
    message: 'Attachments are not configured on this server.',
    hint: 'Start the server with attachmentsDir (the app uses SWITCHBOARD_HOME/attachments).',
  });
}

/** The upload's chunks; past the limit (the parser truncated the file) `413 WEBUI_BODY_TOO_LARGE`. */
async function* capped(
  file: AsyncIterable<Uint8Array> & { truncated: boolean },
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of file) {
    // Past the limit the parser discards the rest; read on to the end of the part.
    if (!file.truncated) yield chunk;
  }
  if (file.truncated) {
    throw new WebuiServerError({
      code: 'WEBUI_BODY_TOO_LARGE',
      message: `The file is larger than ${maxBytes} bytes.`,
      hint: 'Send a smaller file, or raise attachmentLimit.',
    });
  }
}

function toResponse(meta: AttachmentMeta, url: string) {
  return {
    id: meta.id,
    mediaType: meta.mediaType,
    size: meta.size,
    ...(meta.filename === undefined ? {} : { filename: meta.filename }),
    url,
  };
}

/** A file name for the Content-Disposition header: the upload's, cut to safe characters. */
function fileName(meta: AttachmentMeta): string {
  const safe = (meta.filename ?? '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  return safe.replace(/^[._]+/, '') || meta.id;
}
