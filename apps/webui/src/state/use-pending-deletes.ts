import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionMeta } from '../api/api-types.js';

/** How long a deleted session can be brought back before the server is asked to delete it. */
export const UNDO_WINDOW_MS = 8_000;

/** A session the user deleted, still undoable. */
export interface PendingDelete {
  readonly session: SessionMeta;
  /** It was the open session (undo opens it again). */
  readonly wasActive: boolean;
}

/**
 * Delete with undo: a deleted session leaves the list at once, but the
 * `DELETE` is only sent when the undo window ends, the user dismisses the
 * notice, or the page goes away (`pagehide`, sent with `keepalive` so it
 * outlives the page). Undo within the window and nothing was ever deleted.
 */
export function usePendingDeletes(options: {
  /** Sends the delete; `keepalive` when the page is going away. */
  commit: (id: string, keepalive: boolean) => void;
  windowMs?: number;
}) {
  const windowMs = options.windowMs ?? UNDO_WINDOW_MS;
  // The ref is the truth (timers and handlers read it synchronously); the state renders it.
  const entries = useRef<{ entry: PendingDelete; timer: ReturnType<typeof setTimeout> }[]>([]);
  const [pending, setPending] = useState<readonly PendingDelete[]>([]);
  const commitRef = useRef(options.commit);
  commitRef.current = options.commit;

  const take = useCallback((id: string): PendingDelete | undefined => {
    const found = entries.current.find(({ entry }) => entry.session.id === id);
    if (found === undefined) return undefined;
    clearTimeout(found.timer);
    entries.current = entries.current.filter((candidate) => candidate !== found);
    setPending(entries.current.map(({ entry }) => entry));
    return found.entry;
  }, []);

  /** Sends the delete of `id` now (once), whatever its timer. */
  const commit = useCallback(
    (id: string, keepalive = false) => {
      if (take(id) !== undefined) commitRef.current(id, keepalive);
    },
    [take],
  );

  const schedule = useCallback(
    (session: SessionMeta, wasActive: boolean) => {
      if (entries.current.some(({ entry }) => entry.session.id === session.id)) return;
      const timer = setTimeout(() => commit(session.id), windowMs);
      entries.current = [...entries.current, { entry: { session, wasActive }, timer }];
      setPending(entries.current.map(({ entry }) => entry));
    },
    [commit, windowMs],
  );

  /** Brings `id` back: what was pending, or undefined when it is too late. */
  const undo = take;

  // The page going away (close, reload, navigation) sends what is pending:
  // the user deleted it and saw it go; a reload must not bring it back.
  useEffect(() => {
    const flush = () => {
      for (const { entry } of entries.current) commit(entry.session.id, true);
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [commit]);

  return { pending, schedule, undo, commit };
}
