import { forwardRef, useId, useState } from 'react';
import { PencilIcon, TrashIcon } from './icons.js';
import type { SessionMeta } from '../api/api-types.js';
import { formatWhen } from '../lib/format.js';

/** A session's name in lists: its title, else a neutral fallback. */
export function sessionLabel(session: Pick<SessionMeta, 'title'>): string {
  return session.title ?? 'New chat';
}

/** The sessions: newest first, searchable, paged; new, rename, delete (undone by the caller). */
export const Sidebar = forwardRef<
  HTMLInputElement,
  {
    sessions: readonly SessionMeta[];
    activeId: string | undefined;
    query: string;
    onQuery: (query: string) => void;
    hasMore: boolean;
    loading: boolean;
    onMore: () => void;
    onSelect: (id: string) => void;
    onNew: () => void;
    onRename: (id: string, title: string) => void;
    /** Deletes at once; the caller offers the undo. */
    onDelete: (session: SessionMeta) => void;
    canCreate: boolean;
  }
>(function Sidebar(props, searchRef) {
  const [editing, setEditing] = useState<string>();
  const [draft, setDraft] = useState('');
  const searchId = useId();
  return (
    <nav className="sidebar" aria-label="Sessions">
      <div className="sidebar__top">
        <button
          type="button"
          className="btn btn--primary sidebar__new"
          onClick={props.onNew}
          disabled={!props.canCreate}
          title="New chat (Ctrl+Shift+O)"
        >
          + New chat
        </button>
        <label htmlFor={searchId} className="visually-hidden">
          Search sessions
        </label>
        <input
          id={searchId}
          ref={searchRef}
          type="search"
          className="sidebar__search"
          placeholder="Search… (Ctrl+K)"
          value={props.query}
          onChange={(event) => props.onQuery(event.target.value)}
        />
      </div>
      <ul className="sidebar__list">
        {props.sessions.map((session) => {
          const active = session.id === props.activeId;
          return (
            <li key={session.id} className={`session${active ? ' session--active' : ''}`}>
              {editing === session.id ? (
                <form
                  className="session__rename"
                  onSubmit={(event) => {
                    event.preventDefault();
                    if (draft.trim()) props.onRename(session.id, draft.trim());
                    setEditing(undefined);
                  }}
                >
                  <label htmlFor={`${searchId}-${session.id}`} className="visually-hidden">
                    New title
                  </label>
                  <input
                    id={`${searchId}-${session.id}`}
                    value={draft}
                    maxLength={200}
                    onChange={(event) => setDraft(event.target.value)}
                    onKeyDown={(event) => {
                      if (event.key === 'Escape') {
                        event.stopPropagation();
                        setEditing(undefined);
                      }
                    }}
                    onBlur={() => setEditing(undefined)}
                    ref={(input) => input?.focus()}
                  />
                </form>
              ) : (
                <a
                  href={`?session=${encodeURIComponent(session.id)}`}
                  className="session__link"
                  aria-current={active ? 'page' : undefined}
                  onClick={(event) => {
                    if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                    event.preventDefault();
                    props.onSelect(session.id);
                  }}
                >
                  <span className="session__title">{sessionLabel(session)}</span>
                  <span className="session__when">{formatWhen(session.updatedAt)}</span>
                </a>
              )}
              <div className="session__actions">
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  aria-label={`Rename ${sessionLabel(session)}`}
                  title="Rename"
                  onClick={() => {
                    setDraft(session.title ?? '');
                    setEditing(session.id);
                  }}
                >
                  <PencilIcon />
                </button>
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  aria-label={`Delete ${sessionLabel(session)}`}
                  title="Delete"
                  onClick={() => props.onDelete(session)}
                >
                  <TrashIcon />
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {props.sessions.length === 0 && !props.loading ? (
        <p className="sidebar__empty">{props.query ? 'No session matches.' : 'No sessions yet.'}</p>
      ) : null}
      {props.hasMore ? (
        <button
          type="button"
          className="btn btn--ghost sidebar__more"
          onClick={props.onMore}
          disabled={props.loading}
        >
          {props.loading ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </nav>
  );
});
