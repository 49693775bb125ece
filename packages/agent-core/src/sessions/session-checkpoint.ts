import type { SessionCheckpoint, SessionSnapshot } from './session-snapshot.js';
import { toSessionListing } from './session-listing.js';

/**
 * Serializes a checkpoint of `snapshot`: its header, and its transcript
 * entries from `from` on (all of them with `from: 0`), with what a session
 * list shows (`model`: the `provider:model` the session talks to). The cost
 * is the header plus the new entries, whatever the transcript's length.
 */
export function toCheckpoint(
  snapshot: SessionSnapshot,
  {
    baseRevision,
    owner,
    from,
    model,
  }: { baseRevision: number; owner: string; from: number; model?: string | undefined },
): SessionCheckpoint {
  const { transcript, revision: _revision, ...header } = snapshot;
  const entries: string[] = [];
  for (let index = from; index < transcript.length; index++)
    entries.push(JSON.stringify(transcript[index]));
  return {
    sessionId: snapshot.sessionId,
    agentName: snapshot.agentName,
    createdAt: snapshot.createdAt,
    updatedAt: snapshot.updatedAt,
    baseRevision,
    owner,
    header: JSON.stringify(header),
    from,
    entries,
    listing: toSessionListing(snapshot, model),
  };
}
