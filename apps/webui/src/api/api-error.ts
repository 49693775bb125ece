/** An error answer of the API (`{error: {code, message, hint?}}`) or a failed request. */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The server's stable code (`WEBUI_*`, `CORE_*`, …), or `NETWORK` / `HTTP_<status>`. */
  readonly code: string;
  /** What to do about it, when the server said. */
  readonly hint?: string;

  constructor(init: { status: number; code: string; message: string; hint?: string }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    if (init.hint !== undefined) this.hint = init.hint;
  }
}

/** Reads an error body leniently: the server's shape, else the status alone. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const code = typeof error?.code === 'string' ? error.code : `HTTP_${status}`;
  const message =
    typeof error?.message === 'string' ? error.message : `The server answered HTTP ${status}.`;
  const hint = typeof error?.hint === 'string' ? error.hint : undefined;
  return new ApiError({ status, code, message, ...(hint === undefined ? {} : { hint }) });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value != null && !Array.isArray(value);
}
