// No imports from the packages here: `main` uses this on every error, and
// `switchboard --help` must not load zod to print an error.

/** The marker `SwitchboardError.isInstance` checks (`Symbol.for('switchboard.error')`). */
const SWITCHBOARD_ERROR = Symbol.for('switchboard.error');

/** The fields of a Switchboard error the CLI prints. */
export interface PrintableError {
  code: string;
  message: string;
  hint?: string;
}

/**
 * The code, message and hint of a Switchboard error (any package, any
 * installed copy: the same check as `SwitchboardError.isInstance`), or
 * undefined for anything else. The hint comes from `hint` or `details.hint`;
 * a message that already ends with it (AgentCoreError appends it) is cut
 * before it, so the hint is printed once, on its own line.
 */
export function printableError(error: unknown): PrintableError | undefined {
  if (typeof error !== 'object' || error == null || !(SWITCHBOARD_ERROR in error)) return undefined;
  const { code, message, hint, details } = error as {
    code?: unknown;
    message?: unknown;
    hint?: unknown;
    details?: { hint?: unknown };
  };
  const hintText =
    typeof hint === 'string' ? hint : typeof details?.hint === 'string' ? details.hint : undefined;
  let text = typeof message === 'string' ? message : String(message);
  if (hintText && text.endsWith(hintText)) text = text.slice(0, -hintText.length).trimEnd();
  return {
    code: typeof code === 'string' ? code : 'UNKNOWN',
    message: text,
    ...(hintText ? { hint: hintText } : {}),
  };
}

/** `switchboard: CODE: message` and, when there is one, `hint: …` on the next line. */
export function formatError(error: PrintableError): string {
  const hint = error.hint ? `hint: ${error.hint}\n` : '';
  return `switchboard: ${error.code}: ${error.message}\n${hint}`;
}
