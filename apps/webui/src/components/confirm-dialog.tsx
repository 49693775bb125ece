import { Dialog } from './dialog.js';

/** "Are you sure?" with a destructive confirm button. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onCancel}>
      <p>{props.message}</p>
      <div className="dialog__buttons">
        <button type="button" className="btn btn--ghost" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn--danger" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
