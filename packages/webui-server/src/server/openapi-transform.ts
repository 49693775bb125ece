import type { SwaggerTransform } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponseSchema } from '../schemas/api-schemas.js';

/** Every operation's `default` response: the error model. */
const ERROR_RESPONSE = {
  description: 'An error: {error: {code, message, hint?}} (codes in the README).',
  ...withoutDialect(z.toJSONSchema(errorResponseSchema)),
};

/** The body of a multipart upload (validated by the upload route itself, not by a schema). */
const MULTIPART_BODY = {
  type: 'object',
  properties: { file: { type: 'string', format: 'binary' } },
  required: ['file'],
};

/**
 * fastify-type-provider-zod's transform (zod schemas → JSON schema), plus
 * what the route schemas cannot say: every operation answers errors in the
 * one error model (`default` response), and a multipart upload's body is a
 * file.
 */
export const openApiTransform: SwaggerTransform<FastifySchema & { hide?: boolean }> = (input) => {
  const transformed = jsonSchemaTransform(input);
  // A route declared without a schema has none to transform.
  const schema: FastifySchema = transformed.schema ?? {};
  const consumes = (input.schema as FastifySchema | undefined)?.consumes ?? [];
  const body =
    schema.body ?? (consumes.includes('multipart/form-data') ? MULTIPART_BODY : undefined);
  const response = { ...(schema.response ?? {}), default: ERROR_RESPONSE };
  return {
    url: transformed.url,
    schema: { ...schema, response, ...(body === undefined ? {} : { body }) },
  };
};

function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
