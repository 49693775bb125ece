// The API token of this tab: sessionStorage, so it lives as long as the tab
// and is never written to disk by the app or shared with other sites.

const KEY = 'switchboard.token';

/** The stored bearer token, if the user entered one in this tab. */
export function readToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores (or with `undefined`, forgets) the bearer token for this tab. */
export function writeToken(token: string | undefined): void {
  try {
    if (token === undefined) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, token);
  } catch {
    // Storage disabled: the token lasts until reload.
  }
}

/** `authorization` header for the stored token, or nothing. */
export function authHeaders(): Record<string, string> {
  const token = readToken();
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}
