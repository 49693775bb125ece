import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ApiError } from '../api/api-client.js';
import type { SessionMeta } from '../api/api-types.js';

const PAGE_SIZE = 30;

/**
 * The sidebar's sessions: pages of the list route (newest activity first),
 * filtered by `query` (debounced), with local updates for what this tab did.
 */
export function useSessions(options: { enabled: boolean; onError: (error: ApiError) => void }) {
  const { enabled, onError } = options;
  const [sessions, setSessions] = useState<SessionMeta[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>();
  const [query, setQuery] = useState('');
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  // Titles seen on event streams: a list answer that does not know one yet keeps it.
  const liveTitles = useRef(new Map<string, string>());
  const withLiveTitles = (page: readonly SessionMeta[]) =>
    page.map((session) => {
      const live = liveTitles.current.get(session.id);
      return session.title == null && live !== undefined ? { ...session, title: live } : session;
    });

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const timer = setTimeout(
      () => {
        setLoading(true);
        api.listSessions({ limit: PAGE_SIZE, q: query.trim() }, controller.signal).then(
          (page) => {
            setSessions(withLiveTitles(page.sessions));
            setCursor(page.nextCursor ?? null);
            setLoading(false);
          },
          (error: unknown) => {
            if (controller.signal.aborted) return;
            setLoading(false);
            onErrorRef.current(error as ApiError);
          },
        );
      },
      query ? 200 : 0,
    );
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [enabled, query, generation]);

  const loadMore = useCallback(() => {
    if (!cursor) return;
    setLoading(true);
    api.listSessions({ limit: PAGE_SIZE, cursor, q: query.trim() }).then(
      (page) => {
        setSessions((current) => {
          const known = new Set(current.map((session) => session.id));
          const fresh = page.sessions.filter((session) => !known.has(session.id));
          return [...current, ...withLiveTitles(fresh)];
        });
        setCursor(page.nextCursor ?? null);
        setLoading(false);
      },
      (error: unknown) => {
        setLoading(false);
        onErrorRef.current(error as ApiError);
      },
    );
  }, [cursor, query]);

  /** Reloads the first page (after a run, titles and order may have changed). */
  const refresh = useCallback(() => setGeneration((value) => value + 1), []);

  /** Puts a session this tab created or changed at its place (new ones on top). */
  const upsert = useCallback((session: SessionMeta) => {
    setSessions((current) =>
      current.some((entry) => entry.id === session.id)
        ? current.map((entry) => (entry.id === session.id ? { ...entry, ...session } : entry))
        : [session, ...current],
    );
  }, []);

  /** A title seen on the live stream, before the list is reloaded. */
  const setTitle = useCallback((id: string, title: string) => {
    liveTitles.current.set(id, title);
    setSessions((current) =>
      current.some((entry) => entry.id === id && entry.title !== title)
        ? current.map((entry) => (entry.id === id ? { ...entry, title } : entry))
        : current,
    );
  }, []);

  const remove = useCallback((id: string) => {
    setSessions((current) => current.filter((entry) => entry.id !== id));
  }, []);

  return {
    sessions,
    query,
    setQuery,
    loading,
    hasMore: typeof cursor === 'string',
    loadMore,
    refresh,
    upsert,
    setTitle,
    remove,
  };
}
