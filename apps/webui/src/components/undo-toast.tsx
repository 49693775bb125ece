import type { PendingDelete } from '../state/use-pending-deletes.js';
import { CloseIcon } from './icons.js';
import { sessionLabel } from './sidebar.js';

/** “Deleted … Undo” for each session still in its undo window; × deletes it now. */
export function UndoToasts(props: {
  pending: readonly PendingDelete[];
  onUndo: (id: string) => void;
  onDismiss: (id: string) => void;
}) {
  return (
    <div className="toasts" role="status" aria-live="polite">
      {props.pending.map(({ session }) => (
        <div key={session.id} className="toast" data-session-id={session.id}>
          <span className="toast__text">Deleted “{sessionLabel(session)}”.</span>
          <button
            type="button"
            className="btn btn--small toast__undo"
            onClick={() => props.onUndo(session.id)}
          >
            Undo
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            aria-label={`Delete “${sessionLabel(session)}” now`}
            title="Delete now"
            onClick={() => props.onDismiss(session.id)}
          >
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
