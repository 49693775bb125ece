/** FNV-1a of the session id, as a number in [0, 1): the same id always lands in the same place. */
export function sessionHashUnit(sessionId: string): number {
  let hash = 2166136261;
  for (let index = 0; index < sessionId.length; index++) {
    hash ^= sessionId.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) / 2 ** 32;
}

/**
 * Deterministic per-session sampling: a session is traced whole or not at
 * all, and the decision is the same in every process (a replay of the same
 * log keeps the same sessions).
 */
export function isSessionSampled(sessionId: string, sampleRate: number): boolean {
  if (sampleRate >= 1) return true;
  if (sampleRate <= 0) return false;
  return sessionHashUnit(sessionId) < sampleRate;
}
