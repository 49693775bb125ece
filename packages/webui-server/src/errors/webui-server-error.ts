import { SwitchboardError, type SwitchboardErrorInit } from '@switchboard/events';

/**
 * Every code `@switchboard/webui-server` answers or throws, with the HTTP
 * status it is sent with (`0`: thrown at start-up, never answered). Errors of
 * the other packages keep their own codes on the wire (see `http-status.ts`).
 * A released code is never reused for a different meaning.
 */
export const WEBUI_ERROR_CODES = {
  /** The body, a parameter or the query failed its schema, or the JSON is malformed. */
  WEBUI_INVALID_REQUEST: { status: 400, meaning: 'The request is invalid.' },
  /** No valid `Authorization: Bearer <token>` on a server that has a token. */
  WEBUI_UNAUTHORIZED: { status: 401, meaning: 'Missing or wrong bearer token.' },
  /** A state-changing request from an origin that is neither this server nor allowed. */
  WEBUI_FORBIDDEN_ORIGIN: { status: 403, meaning: 'Cross-origin request refused.' },
  /** No route, or no such run, request or item. */
  WEBUI_NOT_FOUND: { status: 404, meaning: 'Not found.' },
  /** The run is not the session's active run (another one is). */
  WEBUI_RUN_NOT_ACTIVE: { status: 409, meaning: 'The run is not active.' },
  /** An imported JSONL line is not JSON or not a valid event (the message names the line). */
  WEBUI_INVALID_IMPORT: { status: 400, meaning: 'The import is not a valid event log.' },
  /** A front end answered approvals none of which is pending, and no run is active. */
  WEBUI_NOTHING_TO_ANSWER: { status: 409, meaning: 'Nothing pending to answer.' },
  /** The body is larger than the route's limit. */
  WEBUI_BODY_TOO_LARGE: { status: 413, meaning: 'The request body is too large.' },
  /** A route got a content type it does not take (another than JSON on a JSON route). */
  WEBUI_UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'Unsupported content type.' },
  /** An uploaded file is not of an accepted type (decided by its bytes, not its name). */
  WEBUI_UNSUPPORTED_MEDIA: { status: 415, meaning: 'File type not accepted.' },
  /** The `Host` header names neither a loopback name nor an allowed host (DNS rebinding). */
  WEBUI_FORBIDDEN_HOST: { status: 421, meaning: 'Host not allowed.' },
  /** Too many requests of this kind from this client. */
  WEBUI_RATE_LIMITED: { status: 429, meaning: 'Too many requests.' },
  /** Something failed inside the server; details are in its log. */
  WEBUI_INTERNAL: { status: 500, meaning: 'Internal server error.' },
  /** The feature needs an agent-core capability this version does not have. */
  WEBUI_UNSUPPORTED: { status: 501, meaning: 'Not supported by this agent.' },
  /** The server runs without a model: sessions and runs are unavailable. */
  WEBUI_NO_MODEL: { status: 503, meaning: 'No model configured.' },
  /** The server was started without an attachments directory. */
  WEBUI_NO_ATTACHMENTS: { status: 503, meaning: 'Attachments are not configured.' },
  /** `GET /sessions/:id/voice`: the server was composed without a voice endpoint. */
  WEBUI_VOICE_DISABLED: { status: 503, meaning: 'Voice is not configured.' },
  /** `GET /sessions/:id/voice`: the session already has a voice connection. */
  WEBUI_VOICE_BUSY: { status: 409, meaning: 'The session already has a voice connection.' },
  /** The server is shutting down and accepts no new work. */
  WEBUI_SHUTTING_DOWN: { status: 503, meaning: 'The server is shutting down.' },
  /** Server options failed their schema (every issue listed). */
  WEBUI_INVALID_OPTIONS: { status: 0, meaning: 'Options failed validation.' },
  /** A non-loopback address without a token: the server refuses to start. */
  WEBUI_INSECURE_BIND: {
    status: 0,
    meaning: 'Refusing to listen beyond loopback without a token.',
  },
  /** `stores.databaseUrl` is set but no `databaseStores` factory was injected. */
  WEBUI_NO_DATABASE_SUPPORT: { status: 0, meaning: 'No database driver for stores.databaseUrl.' },
  /** The agent's bus has no event log, so streams could not be resumed. */
  WEBUI_NO_EVENT_LOG: { status: 0, meaning: 'The agent has no event log.' },
} as const;

/** A stable `@switchboard/webui-server` error code. */
export type WebuiErrorCode = keyof typeof WEBUI_ERROR_CODES;

/** Everything needed to build a {@link WebuiServerError}. */
export interface WebuiServerErrorInit extends SwitchboardErrorInit<WebuiErrorCode> {
  /** What the caller can do about it. Never contains secrets. */
  hint?: string;
}

/**
 * An error raised by `@switchboard/webui-server`. Its HTTP status follows
 * from the code ({@link WEBUI_ERROR_CODES}); `hint` is sent as `error.hint`.
 */
export class WebuiServerError extends SwitchboardError<WebuiErrorCode> {
  readonly hint: string | undefined;

  constructor({ hint, ...init }: WebuiServerErrorInit) {
    super({ ...init, details: { ...init.details, ...(hint === undefined ? {} : { hint }) } });
    this.name = 'WebuiServerError';
    this.hint = hint;
  }

  /** The HTTP status this error is answered with (500 for start-up errors). */
  get status(): number {
    return WEBUI_ERROR_CODES[this.code].status || 500;
  }
}
