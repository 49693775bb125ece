import { api } from '../api/api-client.js';
import type { SessionDetail } from '../api/api-types.js';

let early: { id: string; answer: Promise<SessionDetail | undefined> } | undefined;

/**
 * Starts loading the session of the page's address (`?session=`) while the
 * app boots: its stored view then arrives with `/api/config` instead of after
 * it, one round trip sooner on a reload or a shared link. Failures are left to
 * the normal load (which reports them).
 */
export function prefetchSession(id: string | undefined): void {
  if (id === undefined) return;
  early = { id, answer: api.getSession(id).catch(() => undefined) };
}

/** The early answer for `id`, once (a later open loads afresh), or undefined. */
export function takePrefetchedSession(id: string): Promise<SessionDetail | undefined> | undefined {
  if (early?.id !== id) return undefined;
  const { answer } = early;
  early = undefined;
  return answer;
}
