import { SwitchboardError, type Redactor } from '@switchboard/events';
import { statusOfCode, statusOfError } from './http-status.js';
import { WebuiServerError, type WebuiErrorCode } from './webui-server-error.js';

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

/** An error ready to send: its status and body. */
export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** Set for a server-side failure the log should show in full. */
  internal: boolean;
}

/** What Fastify puts on the errors it raises itself (parsers, schema validation). */
interface FastifyErrorShape {
  code?: unknown;
  statusCode?: unknown;
  validation?: ReadonlyArray<{ instancePath?: string; message?: string }>;
  validationContext?: string;
}

/** Fastify's own codes, as ours. */
const FASTIFY_CODES: Readonly<Record<string, { code: WebuiErrorCode; message?: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'WEBUI_INVALID_REQUEST',
    message: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'WEBUI_INVALID_REQUEST',
    message: 'The body is empty but the content type says JSON.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'WEBUI_INVALID_REQUEST',
    message: 'The Content-Length does not match the body.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'WEBUI_BODY_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'WEBUI_UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported content type: send application/json.',
  },
  FST_ERR_NOT_FOUND: { code: 'WEBUI_NOT_FOUND' },
  FST_ERR_BAD_URL: { code: 'WEBUI_INVALID_REQUEST', message: 'The URL is malformed.' },
};

/** Statuses of errors other plugins raise (with a `statusCode`), as our codes. */
const STATUS_CODES: Readonly<Record<number, WebuiErrorCode>> = {
  401: 'WEBUI_UNAUTHORIZED',
  403: 'WEBUI_FORBIDDEN_ORIGIN',
  404: 'WEBUI_NOT_FOUND',
  413: 'WEBUI_BODY_TOO_LARGE',
  415: 'WEBUI_UNSUPPORTED_MEDIA_TYPE',
  429: 'WEBUI_RATE_LIMITED',
};

/**
 * Turns anything a route threw into `{error: {code, message, hint?}}` and a
 * status. Switchboard errors keep their code (`WEBUI_*`, `CORE_*`,
 * `EVENTS_*`) and are mapped to a status; Fastify's own errors (schema,
 * parser, size) become `WEBUI_*` codes; anything else is a 500 whose
 * message is not sent (it may hold internals), only logged. Every message
 * goes through `redactor` first.
 */
export function toErrorResponse(error: unknown, redactor: Redactor): ErrorResponse {
  if (SwitchboardError.isInstance(error)) {
    const status = statusOfError(error);
    const hint = hintOf(error);
    return {
      status,
      // 503 is a state the server is in (no model, shutting down), not a failure to log as one.
      internal: status >= 500 && status !== 503,
      body: {
        error: {
          code: error.code,
          message: redactor.text(error.message),
          ...(hint === undefined ? {} : { hint: redactor.text(hint) }),
        },
      },
    };
  }
  const shape: FastifyErrorShape = typeof error === 'object' && error != null ? error : {};
  if (Array.isArray(shape.validation)) return invalid(describeValidation(shape), redactor);
  const known = typeof shape.code === 'string' ? FASTIFY_CODES[shape.code] : undefined;
  const statusCode = typeof shape.statusCode === 'number' ? shape.statusCode : 500;
  const code =
    known?.code ??
    (statusCode >= 400 && statusCode < 500
      ? (STATUS_CODES[statusCode] ?? 'WEBUI_INVALID_REQUEST')
      : 'WEBUI_INTERNAL');
  if (code === 'WEBUI_INTERNAL') {
    return {
      status: 500,
      internal: true,
      body: { error: { code, message: 'Internal server error; see the server log.' } },
    };
  }
  const message = known?.message ?? (error instanceof Error ? error.message : String(error));
  return {
    status: statusOfCode(code),
    internal: false,
    body: { error: { code, message: redactor.text(message) } },
  };
}

/** `body.input: Invalid input; body.messageId: Too long` from a schema failure. */
function describeValidation(shape: FastifyErrorShape): string {
  const where = shape.validationContext ?? 'request';
  const issues = (shape.validation ?? []).map((issue) => {
    const field = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
    return `${field ? `${where}.${field}` : where}: ${issue.message ?? 'invalid'}`;
  });
  return `Invalid request: ${issues.join('; ')}`;
}

function invalid(message: string, redactor: Redactor): ErrorResponse {
  return {
    status: 400,
    internal: false,
    body: { error: { code: 'WEBUI_INVALID_REQUEST', message: redactor.text(message) } },
  };
}

/** The hint of an error that has one (ours and agent-core's carry it on `hint` and in `details`). */
function hintOf(error: SwitchboardError): string | undefined {
  if (error instanceof WebuiServerError) return error.hint;
  const hint = error.details?.hint;
  return typeof hint === 'string' ? hint : undefined;
}
