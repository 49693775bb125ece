import type { ApiError } from '../api/api-error.js';
import { CloseIcon } from './icons.js';
import { withoutHint } from '../lib/format.js';

/** An error the user should see: the server's code, its message and what to do. */
export interface BannerError {
  readonly key: string;
  readonly code: string;
  readonly message: string;
  readonly hint?: string | undefined;
}

export function toBanner(key: string, error: ApiError | Error): BannerError {
  const code = 'code' in error && typeof error.code === 'string' ? error.code : 'ERROR';
  const hint = 'hint' in error && typeof error.hint === 'string' ? error.hint : undefined;
  return { key, code, message: error.message, hint };
}

/** Error banners, newest last, each dismissable. */
export function Banners(props: {
  errors: readonly BannerError[];
  onDismiss: (key: string) => void;
}) {
  if (props.errors.length === 0) return null;
  return (
    <div className="banners">
      {props.errors.map((error) => (
        <div key={error.key} className="banner banner--error" role="alert">
          <div className="banner__text">
            <code className="banner__code">{error.code}</code>{' '}
            {withoutHint(error.message, error.hint)}
            {error.hint ? <p className="hint">{error.hint}</p> : null}
          </div>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            aria-label={`Dismiss ${error.code}`}
            onClick={() => props.onDismiss(error.key)}
          >
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
