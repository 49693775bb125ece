import {
  connectEventStream,
  initialSessionView,
  reduceSession,
  sessionViewFromJson,
  type EventsError,
  type SessionView,
} from '@switchboard/events/client';
import { ApiError, api, reportUnauthorized } from '../api/api-client.js';
import { authHeaders } from '../api/token-store.js';
import { livenessFetch } from './liveness-fetch.js';
import { takePrefetchedSession } from './session-prefetch.js';

/** Where the active session's event stream stands. */
export type ConnectionState =
  'idle' | 'connecting' | 'live' | 'reconnecting' | 'unauthorized' | 'gone' | 'failed';

/** What the chat renders: the active session's view and its connection. */
export interface StreamSnapshot {
  readonly sessionId: string | undefined;
  readonly view: SessionView;
  readonly connection: ConnectionState;
  /** Why the stream stopped (`failed`, `gone`, `unauthorized`). */
  readonly error?: ApiError;
}

const EMPTY: StreamSnapshot = {
  sessionId: undefined,
  view: initialSessionView(),
  connection: 'idle',
};

/**
 * While a stream replays what was stored before it opened (the view is not
 * caught up), the chat renders at most this often instead of every frame:
 * nobody reads a backlog's intermediate states, and each render of a long
 * timeline costs (markdown of the rows on screen, measuring them). The view
 * renders at once when it catches up.
 */
export const CATCH_UP_RENDER_MS = 250;

/** Bounds of the reconnect backoff: a restarted server is found within seconds. */
const MAX_RETRY_MS = 8_000;

/**
 * One event stream at a time (the active session), reduced with the shared
 * view model. A session opened for the first time starts from the view the
 * server reduced (`GET /api/sessions/:id`, up to its `headSeq`) and streams
 * only what comes after: a 2,000-message session renders once, not after
 * replaying its whole log. Views of sessions the user left stay cached, so
 * switching back shows every token at once and resumes after its `lastSeq`
 * (no replay, no duplicates); switching away aborts the old connection.
 * Listeners hear at most one change per frame, however fast deltas arrive.
 */
export class SessionStreamStore {
  #views = new Map<string, SessionView>();
  #snapshot: StreamSnapshot = EMPTY;
  #listeners = new Set<() => void>();
  #controller: AbortController | undefined;
  #scheduled = false;
  #pending: StreamSnapshot | undefined;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getSnapshot = (): StreamSnapshot => this.#snapshot;

  /** Opens `sessionId`'s stream (closing the previous one); `undefined` closes only. */
  open(sessionId: string | undefined): void {
    this.#controller?.abort();
    this.#controller = undefined;
    if (sessionId === undefined) {
      this.#set(EMPTY, true);
      return;
    }
    const controller = new AbortController();
    this.#controller = controller;
    const view = this.#views.get(sessionId) ?? initialSessionView();
    this.#set({ sessionId, view, connection: 'connecting' }, true);
    void this.#read(sessionId, view, controller.signal);
  }

  /** Reconnects the active session (after a login, say). */
  reconnect(): void {
    this.open(this.#snapshot.sessionId);
  }

  /** Forgets a deleted session's cached view. */
  forget(sessionId: string): void {
    this.#views.delete(sessionId);
    if (this.#snapshot.sessionId === sessionId) this.open(undefined);
  }

  /** Stops everything (the app unmounts). */
  close(): void {
    this.#controller?.abort();
    this.#controller = undefined;
  }

  async #read(sessionId: string, start: SessionView, signal: AbortSignal): Promise<void> {
    let view = start;
    const update = (change: Partial<StreamSnapshot>, now = false) => {
      if (signal.aborted) return;
      const base = this.#pending ?? this.#snapshot;
      this.#set({ ...base, sessionId, view, ...change }, now);
    };
    // Nothing cached: start from the server's view and render it at once.
    let loaded = false;
    if (view.lastSeq === 0) {
      const stored = await loadStoredView(sessionId, signal);
      if (signal.aborted) return;
      loaded = stored.loaded;
      if (stored.view) {
        view = stored.view;
        this.#views.set(sessionId, view);
        update({}, true);
      }
    }
    const fetch = livenessFetch({
      // Each connection loads the session first: the server then ends a run a
      // crash cut off (`interrupted`), and a deleted session answers 404. The
      // first connection after a load that just succeeded skips it.
      beforeConnect: async (connectSignal) => {
        if (loaded) {
          loaded = false;
          return undefined;
        }
        try {
          await api.getSession(sessionId, connectSignal);
          return undefined;
        } catch (error) {
          if (error instanceof ApiError && (error.status === 404 || error.status === 401))
            return new Response(null, { status: error.status });
          return undefined;
        }
      },
    });
    try {
      for await (const event of connectEventStream(
        `/api/sessions/${encodeURIComponent(sessionId)}/events`,
        {
          signal,
          fetch,
          headers: authHeaders(),
          maxRetryMs: MAX_RETRY_MS,
          ...(view.lastSeq > 0 ? { lastEventId: view.lastSeq } : {}),
          onOpen: (data) => {
            view = reduceSession(view, { type: 'stream.opened', data });
            this.#views.set(sessionId, view);
            update({ connection: 'live' }, true);
          },
          onError: (error: EventsError) => {
            if (error.retryable) update({ connection: 'reconnecting' }, true);
          },
        },
      )) {
        const wasCaughtUp = view.caughtUp;
        view = reduceSession(view, event);
        this.#views.set(sessionId, view);
        update({}, view.caughtUp && !wasCaughtUp);
      }
    } catch (error) {
      if (signal.aborted) return;
      const status = statusOf(error);
      if (status === 401) {
        const refused = new ApiError({
          status,
          code: 'WEBUI_UNAUTHORIZED',
          message: 'This server needs a token.',
        });
        reportUnauthorized(refused);
        update({ connection: 'unauthorized', error: refused }, true);
      } else if (status === 404) {
        update(
          {
            connection: 'gone',
            error: new ApiError({
              status,
              code: 'CORE_SESSION_NOT_FOUND',
              message: 'This session does not exist (any more).',
              hint: 'Pick another session or start a new one.',
            }),
          },
          true,
        );
      } else {
        update(
          {
            connection: 'failed',
            error: new ApiError({
              status: status ?? 0,
              code: codeOf(error),
              message: error instanceof Error ? error.message : String(error),
              hint: 'Reload the page to try again.',
            }),
          },
          true,
        );
      }
    }
  }

  #set(next: StreamSnapshot, now: boolean): void {
    this.#pending = next;
    if (now) {
      this.#flush();
      return;
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    if (!next.view.caughtUp && next.view.headSeq !== undefined) {
      setTimeout(() => this.#flush(), CATCH_UP_RENDER_MS);
      return;
    }
    // One render per frame; the timer covers hidden tabs, where frames pause.
    const timer = setTimeout(() => this.#flush(), 100);
    if (typeof requestAnimationFrame === 'function')
      requestAnimationFrame(() => {
        clearTimeout(timer);
        this.#flush();
      });
  }

  #flush(): void {
    this.#scheduled = false;
    const next = this.#pending;
    this.#pending = undefined;
    if (next === undefined || next === this.#snapshot) return;
    this.#snapshot = next;
    for (const listener of this.#listeners) listener();
  }
}

/**
 * The session's stored view (`GET /api/sessions/:id`, or the answer prefetched
 * while the app booted). `loaded` says the session answered; `view` is set when
 * its view holds events and reads as one (else the stream replays them).
 */
async function loadStoredView(
  sessionId: string,
  signal: AbortSignal,
): Promise<{ loaded: boolean; view?: SessionView }> {
  try {
    const answer = await (takePrefetchedSession(sessionId) ?? api.getSession(sessionId, signal));
    if (answer === undefined) return { loaded: false };
    const view = answer.headSeq === undefined ? undefined : sessionViewFromJson(answer.view);
    const usable =
      view !== undefined &&
      view.lastSeq > 0 &&
      view.lastSeq === answer.headSeq &&
      (view.sessionId === undefined || view.sessionId === sessionId);
    return usable ? { loaded: true, view } : { loaded: true };
  } catch {
    return { loaded: false }; // the connection's own load reports it (404, 401)
  }
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error == null) return undefined;
  const details: unknown = Reflect.get(error, 'details');
  if (typeof details !== 'object' || details == null) return undefined;
  const status: unknown = Reflect.get(details, 'status');
  return typeof status === 'number' ? status : undefined;
}

function codeOf(error: unknown): string {
  const code: unknown =
    typeof error === 'object' && error != null ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : 'WEBUI_STREAM_FAILED';
}
