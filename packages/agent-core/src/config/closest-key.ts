/**
 * The known key an unknown one was most likely meant to be, or `undefined`.
 * Leaf names are compared case-insensitively (so `baseURL` finds `baseUrl`),
 * and a key under the same parent is preferred (so `server.prot` finds
 * `server.port`, while a top-level `port` still finds `server.port`).
 */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const [parent, leaf] = splitKey(unknown);
  let best: { key: string; score: number } | undefined;
  for (const candidate of known) {
    const [candidateParent, candidateLeaf] = splitKey(candidate);
    const score =
      distance(leaf.toLowerCase(), candidateLeaf.toLowerCase()) +
      // Under another parent counts more than one edit: with nested sections
      // sharing leaf names (`voice.stt.provider`), a near miss at the right
      // level (`provider` → `providers`) must still win.
      (candidateParent === parent ? 0 : 1.5);
    if (best === undefined || score < best.score) best = { key: candidate, score };
  }
  // More than a third of the name changed is a different word, not a typo.
  return best !== undefined && best.score <= Math.max(2, leaf.length / 3) ? best.key : undefined;
}

function splitKey(key: string): [parent: string, leaf: string] {
  const dot = key.lastIndexOf('.');
  return dot === -1 ? ['', key] : [key.slice(0, dot), key.slice(dot + 1)];
}

/** Levenshtein distance, one row at a time. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
