import { useCallback, useEffect, useState } from 'react';

const PARAM = 'session';

/** The session in the page's address (`?session=<id>`), if any. */
export function readUrlSession(): string | undefined {
  return new URLSearchParams(window.location.search).get(PARAM) ?? undefined;
}

/**
 * The active session, kept in the URL (`?session=<id>`): deep links open it,
 * back and forward move between sessions.
 */
export function useUrlSession(): [string | undefined, (id: string | undefined) => void] {
  const [id, setId] = useState(readUrlSession);
  useEffect(() => {
    const onPop = () => setId(readUrlSession());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: string | undefined) => {
    if (next === readUrlSession()) return;
    const url = new URL(window.location.href);
    if (next === undefined) url.searchParams.delete(PARAM);
    else url.searchParams.set(PARAM, next);
    window.history.pushState(null, '', url);
    setId(next);
  }, []);
  return [id, navigate];
}
