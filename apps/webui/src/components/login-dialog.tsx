import { useId, useState } from 'react';
import { Dialog } from './dialog.js';

/** Asks for the server's token (SWITCHBOARD_TOKEN); it is kept for this tab only. */
export function LoginDialog(props: {
  open: boolean;
  rejected: boolean;
  onSubmit: (token: string) => void;
}) {
  const [token, setToken] = useState('');
  const inputId = useId();
  return (
    <Dialog open={props.open} title="Sign in to Switchboard" onClose={() => {}}>
      <form
        className="login"
        onSubmit={(event) => {
          event.preventDefault();
          if (token.trim()) props.onSubmit(token.trim());
        }}
      >
        <p>
          This server needs its access token (the <code>SWITCHBOARD_TOKEN</code> it was started
          with). It is kept for this tab only and sent as a bearer header.
        </p>
        <label htmlFor={inputId}>Access token</label>
        <input
          id={inputId}
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-invalid={props.rejected}
          aria-describedby={props.rejected ? `${inputId}-error` : undefined}
        />
        {props.rejected ? (
          <p id={`${inputId}-error`} className="form-error" role="alert">
            The server refused this token.
          </p>
        ) : null}
        <div className="dialog__buttons">
          <button type="submit" className="btn btn--primary" disabled={!token.trim()}>
            Sign in
          </button>
        </div>
      </form>
    </Dialog>
  );
}
