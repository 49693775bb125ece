import { Dialog } from './dialog.js';

/** The keyboard shortcuts, as the help dialog lists them. */
export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['Enter', 'Send the message (steer while the agent works)'],
  ['Shift + Enter', 'New line'],
  ['Esc', 'Stop the running answer'],
  ['/', 'Focus the message box'],
  ['Ctrl + K', 'Search sessions'],
  ['Ctrl + Shift + O', 'New chat'],
  ['Alt + ↑ / Alt + ↓', 'Previous / next session'],
  ['?', 'This help'],
];

export function HelpDialog(props: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={props.open} title="Keyboard shortcuts" onClose={props.onClose}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog__buttons">
        <button type="button" className="btn btn--primary" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
