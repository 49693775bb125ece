import { ApiError, toApiError } from './api-error.js';
import type {
  ServerConfig,
  SessionDetail,
  SessionMeta,
  SessionPage,
  UploadedAttachment,
} from './api-types.js';
import { authHeaders } from './token-store.js';

/** Told about every 401, so the app can ask for a token. */
type UnauthorizedListener = (error: ApiError) => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Subscribes to 401 answers of any request; returns the unsubscribe function. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Reports a 401 seen outside {@link request} (the event stream). */
export function reportUnauthorized(error: ApiError): void {
  for (const listener of unauthorizedListeners) listener(error);
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Let the request outlive the page (a delete sent on `pagehide`). */
  keepalive?: boolean;
}

/**
 * One JSON request to the API with the tab's bearer token. Resolves with the
 * parsed body (undefined for 204); rejects with an {@link ApiError} carrying
 * the server's code and hint, or `NETWORK` when it could not be reached.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { body, signal } = options;
  const init: RequestInit = {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      ...authHeaders(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal === undefined ? {} : { signal }),
    ...(options.keepalive ? { keepalive: true } : {}),
  };
  return send<T>(path, init);
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError({
      status: 0,
      code: 'NETWORK',
      message: 'The server could not be reached.',
      hint: 'Check that the Switchboard server is running; the app retries by itself.',
    });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = toApiError(response.status, parsed);
    if (response.status === 401) reportUnauthorized(error);
    throw error;
  }
  return parsed as T;
}

/** The API routes the app uses, typed. */
export const api = {
  health: (signal?: AbortSignal) =>
    request<{ ok: true; version: string }>('/api/health', signal ? { signal } : {}),
  config: (signal?: AbortSignal) => request<ServerConfig>('/api/config', signal ? { signal } : {}),
  listSessions(query: { limit?: number; cursor?: string; q?: string }, signal?: AbortSignal) {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.q) params.set('q', query.q);
    return request<SessionPage>(`/api/sessions?${params.toString()}`, signal ? { signal } : {});
  },
  getSession: (id: string, signal?: AbortSignal) =>
    request<SessionDetail>(`/api/sessions/${encodeURIComponent(id)}`, signal ? { signal } : {}),
  createSession: (body: { title?: string; model?: string }) =>
    request<SessionMeta>('/api/sessions', { body }),
  updateSession: (id: string, body: { title?: string; model?: string }) =>
    request<SessionMeta>(`/api/sessions/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  deleteSession: (id: string, options: { keepalive?: boolean } = {}) =>
    request<undefined>(`/api/sessions/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      keepalive: options.keepalive === true,
    }),
  startRun: (id: string, body: { input: string; messageId: string; attachments?: string[] }) =>
    request<{ runId: string }>(`/api/sessions/${encodeURIComponent(id)}/runs`, { body }),
  cancelRun: (id: string, runId: string) =>
    request<{ runId: string; cancelled: boolean }>(
      `/api/sessions/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}/cancel`,
      { method: 'POST' },
    ),
  steer: (id: string, text: string) =>
    request<{ steerId: string; runActive: boolean }>(
      `/api/sessions/${encodeURIComponent(id)}/steer`,
      { body: { text } },
    ),
  respond: (
    id: string,
    requestId: string,
    body: { approved: boolean; always?: boolean; reason?: string } | { answer: string },
  ) =>
    request<{ requestId: string; resumedRunId?: string }>(
      `/api/sessions/${encodeURIComponent(id)}/requests/${encodeURIComponent(requestId)}`,
      { body },
    ),
  /** `POST /api/attachments` (multipart). Not every server has it: see {@link probeAttachments}. */
  upload(file: File): Promise<UploadedAttachment> {
    const form = new FormData();
    form.append('file', file, file.name);
    return send<UploadedAttachment>('/api/attachments', {
      method: 'POST',
      headers: authHeaders(),
      body: form,
    });
  },
};

/**
 * Whether the server takes uploads: `features.attachments` when the config
 * says, else a probe with an empty form (a server without the route answers
 * 404; one with it refuses the empty form some other way).
 */
export async function probeAttachments(config: ServerConfig): Promise<boolean> {
  if (typeof config.features.attachments === 'boolean') return config.features.attachments;
  try {
    const response = await fetch('/api/attachments', {
      method: 'POST',
      headers: authHeaders(),
      body: new FormData(),
    });
    await response.body?.cancel();
    return response.status !== 404;
  } catch {
    return false;
  }
}

export { ApiError };
